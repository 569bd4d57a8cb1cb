package org.mxpolicy.cert;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostNamesTest {

    private static final KeyPair KEY = InMemoryPki.ec("secp256r1");

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource({
        "mx.example.org, mx.example.org, true",
        "MX.Example.ORG, mx.example.org, true",
        "mx.example.org., mx.example.org, true",
        "mx.example.org, MX.EXAMPLE.ORG., true",
        "mx.example.org, mx2.example.org, false",
        "mx.example.org, example.org, false",
        "*.example.org, mx.example.org, true",
        "*.EXAMPLE.org, Mx.example.org., true",
        "*.example.org, a.b.example.org, false",
        "*.example.org, example.org, false",
        "*.example.org, .example.org, false",
        "m*.example.org, mx.example.org, false",
        "*x.example.org, mx.example.org, false",
        "mx.*.org, mx.example.org, false",
        "*.*.org, mx.example.org, false",
        "*.org, example.org, false",
        "*, mx, false",
    })
    void matchesAsRfc6125Says(String presented, String host, boolean expected) {
        assertThat(HostNames.matches(presented, host)).isEqualTo(expected);
    }

    @Test
    void usesSubjectAltNames() {
        X509Certificate cert =
                InMemoryPki.selfSigned(KEY, "ignored.example.org", false, "mx1.example.org", "*.mail.example.org");

        assertThat(HostNames.dnsNames(cert)).containsExactly("mx1.example.org", "*.mail.example.org");
        assertThat(HostNames.covers(cert, "mx1.example.org")).isTrue();
        assertThat(HostNames.covers(cert, "in.mail.example.org")).isTrue();
        assertThat(HostNames.covers(cert, "ignored.example.org"))
                .as("CN is ignored when there is a dNSName")
                .isFalse();
        assertThat(HostNames.isWildcard(cert)).isTrue();
    }

    @Test
    void fallsBackToTheCommonNameWithoutDnsNames() {
        X509Certificate cert = InMemoryPki.selfSigned(KEY, "mx.example.org", false);

        assertThat(HostNames.dnsNames(cert)).isEmpty();
        assertThat(HostNames.presentedNames(cert)).containsExactly("mx.example.org");
        assertThat(HostNames.covers(cert, "mx.example.org")).isTrue();
        assertThat(HostNames.isWildcard(cert)).isFalse();
    }

    @Test
    void wildcardNames() {
        assertThat(HostNames.isWildcard("*.example.org")).isTrue();
        assertThat(HostNames.isWildcard("mx.example.org")).isFalse();
    }
}
