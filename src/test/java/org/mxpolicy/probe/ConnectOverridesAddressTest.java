package org.mxpolicy.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ConnectOverridesAddressTest {

    @Test
    void ipv6TargetsAreDescribedInRfc5952Form() throws Exception {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:0:0:0:25"), 443);

        assertThat(ConnectOverrides.describe(target)).isEqualTo("[2001:db8::25]:443");
    }
}
