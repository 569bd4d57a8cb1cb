package org.mxpolicy.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectOverridesTest {

    private static final InetSocketAddress FROM_DNS = new InetSocketAddress(address(192, 0, 2, 25), 25);

    private static InetAddress address(int... bytes) {
        byte[] raw = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            raw[i] = (byte) bytes[i];
        }
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anOverriddenHostAndPortGoesToTheGivenAddress() {
        ConnectOverrides overrides = ConnectOverrides.parse(
                List.of("mx1.example.test:25=127.0.0.1:2525", "mta-sts.example.test:443=127.0.0.2:8443"));

        assertThat(overrides.target("mx1.example.test", 25, FROM_DNS))
                .isEqualTo(new InetSocketAddress(address(127, 0, 0, 1), 2525));
        assertThat(overrides.lookup("mta-sts.example.test", 443))
                .contains(new InetSocketAddress(address(127, 0, 0, 2), 8443));
    }

    @Test
    void otherHostsOrPortsKeepTheAddressDnsGave() {
        ConnectOverrides overrides = ConnectOverrides.parse(List.of("mx1.example.test:25=127.0.0.1:2525"));

        assertThat(overrides.target("mx2.example.test", 25, FROM_DNS)).isSameAs(FROM_DNS);
        assertThat(overrides.target("mx1.example.test", 465, FROM_DNS)).isSameAs(FROM_DNS);
        assertThat(ConnectOverrides.none().target("mx1.example.test", 25, FROM_DNS))
                .isSameAs(FROM_DNS);
        assertThat(ConnectOverrides.none().isEmpty()).isTrue();
    }

    @Test
    void hostNamesMatchWithoutRegardToCaseOrTrailingDot() {
        ConnectOverrides overrides = ConnectOverrides.parse(List.of("MX1.Example.Test.:25=127.0.0.1:2525"));

        assertThat(overrides.lookup("mx1.example.test", 25)).isPresent();
        assertThat(overrides.lookup("mx1.EXAMPLE.test.", 25)).isPresent();
    }

    @Test
    void ipv6TargetsAreWrittenInBrackets() {
        ConnectOverrides overrides = ConnectOverrides.parse(
                List.of("mx1.example.test:25=[::1]:2525", "mx2.example.test:25=[2001:db8::25]:25"));

        assertThat(overrides.lookup("mx1.example.test", 25))
                .contains(new InetSocketAddress(address(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), 2525));
        assertThat(overrides.lookup("mx2.example.test", 25).orElseThrow().getAddress())
                .isEqualTo(address(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x25));
        assertThat(overrides.toString())
                .isEqualTo(
                        "ConnectOverrides[mx1.example.test:25=[::1]:2525," + " mx2.example.test:25=[2001:db8::25]:25]");
    }

    @Test
    void badTextIsRefusedWithAMessageNamingIt() {
        assertThatThrownBy(() -> ConnectOverrides.parse(List.of("mx1.example.test=127.0.0.1:2525")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'mx1.example.test=127.0.0.1:2525' is not HOST:PORT=ADDRESS:PORT (for example"
                        + " mx1.example.test:25=127.0.0.1:2525 or mta-sts.example.test:443=[::1]:8443)");
        assertThatThrownBy(() -> ConnectOverrides.parse(List.of("mx1.example.test:25=::1:2525")))
                .hasMessageStartingWith("'mx1.example.test:25=::1:2525' is not HOST:PORT=ADDRESS:PORT");
        assertThatThrownBy(() -> ConnectOverrides.parse(List.of("mx1.example.test:25=127.0.0.256:25")))
                .hasMessageStartingWith("'mx1.example.test:25=127.0.0.256:25': '127.0.0.256' is not an IPv4 address;"
                        + " write IPv6 addresses in brackets");
        assertThatThrownBy(() -> ConnectOverrides.parse(List.of("mx1.example.test:25=[1:2:3:4:5:6:7:8:9]:25")))
                .hasMessage("'mx1.example.test:25=[1:2:3:4:5:6:7:8:9]:25': '1:2:3:4:5:6:7:8:9' is not an IP address");
        assertThatThrownBy(() -> ConnectOverrides.parse(List.of("mx1.example.test:25=[127.0.0.1]:25")))
                .hasMessage("'mx1.example.test:25=[127.0.0.1]:25': '[127.0.0.1]' is not an IPv6 address");
        assertThatThrownBy(() -> ConnectOverrides.parse(List.of("mx1.example.test:70000=127.0.0.1:25")))
                .hasMessage("'mx1.example.test:70000=127.0.0.1:25': port 70000 outside 1..65535");
        assertThatThrownBy(() -> ConnectOverrides.parse(List.of("mx1.example.test:25=127.0.0.1:0")))
                .hasMessage("'mx1.example.test:25=127.0.0.1:0': port 0 outside 1..65535");
        assertThatThrownBy(() -> ConnectOverrides.parse(List.of("mx_1.example.test:25=127.0.0.1:25")))
                .hasMessage("'mx_1.example.test:25=127.0.0.1:25': 'mx_1.example.test' is not a host name");
    }

    @Test
    void theTargetMustBeAnAddressNotANameSoNoLookupIsNeeded() {
        assertThatThrownBy(() -> ConnectOverrides.parse(List.of("mx1.example.test:25=localhost:2525")))
                .hasMessageStartingWith("'mx1.example.test:25=localhost:2525' is not HOST:PORT=ADDRESS:PORT");
    }

    @Test
    void twoTargetsForTheSameHostAndPortAreRefused() {
        assertThatThrownBy(() -> ConnectOverrides.parse(
                        List.of("mx1.example.test:25=127.0.0.1:2525", "MX1.example.test:25=127.0.0.2:2525")))
                .hasMessage("'MX1.example.test:25=127.0.0.2:2525': mx1.example.test:25 is already sent to"
                        + " 127.0.0.1:2525; give one target per HOST:PORT");
    }

    @Test
    void equalOverridesAreEqualValues() {
        assertThat(ConnectOverrides.parse(List.of("a.example.test:25=127.0.0.1:25", "b.example.test:25=127.0.0.2:25")))
                .isEqualTo(ConnectOverrides.parse(
                        List.of("b.example.test:25=127.0.0.2:25", "a.example.test:25=127.0.0.1:25")))
                .isNotEqualTo(ConnectOverrides.none());
        assertThat(ConnectOverrides.parse(List.of())).isSameAs(ConnectOverrides.none());
    }
}
