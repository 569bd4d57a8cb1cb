package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PolicyRoutesTest {

    @Test
    void hostHeaderIsLowerCasedWithoutPortAndTrailingDot() {
        assertThat(PolicyRoutes.requestHost("mta-sts.example.com")).hasValue("mta-sts.example.com");
        assertThat(PolicyRoutes.requestHost("MTA-STS.Example.COM.:8443")).hasValue("mta-sts.example.com");
        assertThat(PolicyRoutes.requestHost(" mta-sts.example.com:443 ")).hasValue("mta-sts.example.com");
    }

    @Test
    void addressesAndEmptyHostsNameNoPolicyHost() {
        assertThat(PolicyRoutes.requestHost(null)).isEmpty();
        assertThat(PolicyRoutes.requestHost("")).isEmpty();
        assertThat(PolicyRoutes.requestHost(":443")).isEmpty();
        assertThat(PolicyRoutes.requestHost("[::1]:443")).isEmpty();
    }
}
