package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ListenAddressTest {

    @Test
    void parsesIpv4Ipv6AndNames() {
        assertThat(ListenAddress.parse("[::]:443")).isEqualTo(new ListenAddress("::", 443));
        assertThat(ListenAddress.parse("127.0.0.1:8461")).isEqualTo(new ListenAddress("127.0.0.1", 8461));
        assertThat(ListenAddress.parse("[2001:db8::1]:0")).isEqualTo(new ListenAddress("2001:db8::1", 0));
        assertThat(ListenAddress.parse("localhost:8080")).isEqualTo(new ListenAddress("localhost", 8080));
    }

    @Test
    void printsIpv6InBrackets() {
        assertThat(new ListenAddress("::", 443)).hasToString("[::]:443");
        assertThat(new ListenAddress("127.0.0.1", 1)).hasToString("127.0.0.1:1");
    }

    @Test
    void rejectsWhatIsNotAddrPort() {
        for (String bad : new String[] {
            "443", "::1:443", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "[::1]", ":443", "127.0.0.1:http"
        }) {
            assertThatThrownBy(() -> ListenAddress.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ListenAddress.parse("443")).hasMessageContaining("is not ADDR:PORT");
    }
}
