package org.mxpolicy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** Resolver addresses are kept in canonical form, so messages print them as operators write them. */
class ServerAddressFormTest {

    @Test
    void ipv6ResolversAreInRfc5952Form() throws Exception {
        String config = """
                zones:
                  example.com: {}
                dns:
                  resolvers: ["[2001:DB8:0:0:0:0:0:35]:5353", "2001:db8:0000::36", 192.0.2.53]
                domains:
                  - name: example.com
                    mx:
                      - host: mx1.example.com
                        cert: certs/mx1.pem
                """;

        ProviderConfig loaded =
                ConfigLoader.load(new StringReader(config), "c.yaml").config();

        assertThat(loaded.dns().resolvers())
                .extracting(ServerAddress::toString)
                .containsExactly("[2001:db8::35]:5353", "[2001:db8::36]:53", "192.0.2.53:53");
    }
}
