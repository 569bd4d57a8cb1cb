package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServedHostsTest {

    @Test
    void aFewHostsAreNamedInFull() throws Exception {
        ServedHosts served = ExampleHosts.served();

        assertThat(served.summary()).isEqualTo(String.join(", ", served.names()));
    }

    @Test
    void aHostersThousandsAreCountedWithTheFirstFew() throws Exception {
        PolicyHost template = ExampleHosts.hosts().get(0);
        List<PolicyHost> many = new ArrayList<>();
        for (int i = 1; i <= 2000; i++) {
            many.add(new PolicyHost(
                    "mta-sts.customer" + i + ".example", template.policy(), template.chain(), template.key()));
        }

        assertThat(ServedHosts.of(many).summary())
                .isEqualTo("2000 hosts (mta-sts.customer1.example, mta-sts.customer2.example,"
                        + " mta-sts.customer3.example and 1997 more)");
    }
}
