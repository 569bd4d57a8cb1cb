package org.mxpolicy.finding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageTextTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "2001:db8:0:0:0:0:0:25, 2001:db8::25",
        "2001:DB8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "0:0:0:0:0:0:0:1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "2001:db8:0:0:1:0:0:0, 2001:db8:0:0:1::",
        "fe80:0:0:0:0:0:0:0, fe80::",
        "192.0.2.25, 192.0.2.25",
    })
    void addressesAreInRfc5952Form(String written, String expected) throws Exception {
        assertThat(MessageText.address(InetAddress.getByName(written))).isEqualTo(expected);
    }

    @Test
    void socketAddressesBracketIpv6() throws Exception {
        assertThat(MessageText.address(new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:0:0:0:25"), 25)))
                .isEqualTo("[2001:db8::25]:25");
        assertThat(MessageText.address(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 53)))
                .isEqualTo("192.0.2.1:53");
    }

    @Test
    void failuresAreWordsNotClassNames() {
        assertThat(MessageText.problem(new PortUnreachableException())).isEqualTo("port unreachable");
        assertThat(MessageText.problem(
                        new IOException("no answer from 192.0.2.53 (java.net.PortUnreachableException)")))
                .isEqualTo("no answer from 192.0.2.53 (port unreachable)");
        assertThat(MessageText.problem(new IOException(new SocketTimeoutException("Read timed out"))))
                .isEqualTo("socket timeout: Read timed out");
        assertThat(MessageText.problem(new IOException("Connection refused"))).isEqualTo("Connection refused");
    }

    @Test
    void timesAreToTheSecond() {
        assertThat(MessageText.instant(Instant.parse("2026-12-07T17:39:06.123456789Z")))
                .isEqualTo("2026-12-07T17:39:06Z");
    }
}
