package org.mxpolicy.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MxPatternTest {

    @ParameterizedTest
    @CsvSource({
        "mx.example.com, mx.example.com, true",
        "mx.example.com, MX.Example.COM., true",
        "mx.example.com, mx2.example.com, false",
        "*.example.com, mx.example.com, true",
        "*.example.com, a.mx.example.com, false",
        "*.example.com, example.com, false",
    })
    void wildcardMatchesExactlyOneLeftmostLabel(String pattern, String host, boolean matches) {
        assertThat(MxPattern.parse(pattern).matches(host)).isEqualTo(matches);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "192.0.2.1",
                "2001:db8::1",
                "[192.0.2.1]",
                "mx*.example.com",
                "*.*.example.com",
                "example.*.com",
                "localhost",
                "mx_1.example.com",
                "-mx.example.com",
                ""
            })
    void invalidPatternsAreRefused(String pattern) {
        assertThatThrownBy(() -> MxPattern.parse(pattern)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"MX.Example.com., mx.example.com", "*.EXAMPLE.net, *.example.net"})
    void parsingNormalises(String in, String normal) {
        assertThat(MxPattern.parse(in)).hasToString(normal);
    }
}
