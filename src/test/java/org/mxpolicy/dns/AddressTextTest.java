package org.mxpolicy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Name servers in messages: IPv6 in RFC 5952 form. */
class AddressTextTest {

    @Test
    void aNameServerPrintsItsIpv6AddressShort() throws Exception {
        InetAddress v6 = InetAddress.getByName("2001:db8:0:0:0:0:0:53");

        assertThat(new NameServer("ns1.example.com.", new InetSocketAddress(v6, 53)))
                .hasToString("ns1.example.com. ([2001:db8::53]:53)");
        assertThat(new NameServer("2001:db8::53", new InetSocketAddress(v6, 5353)))
                .hasToString("[2001:db8::53]:5353");
    }
}
