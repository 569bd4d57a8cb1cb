package org.mxpolicy.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mxpolicy.tls.TlsRuleSet;

class TlsNamesTest {

    private static final TlsRuleSet RULES =
            TlsRuleSet.inForceAt(LocalDate.of(2026, 1, 1)).orElseThrow();

    @Test
    void codePointsHaveTheirIanaNames() {
        assertThat(TlsNames.suite(0xc02f)).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(TlsNames.suite(0x1302)).isEqualTo("TLS_AES_256_GCM_SHA384");
        assertThat(TlsNames.suite(0xfefe)).isEqualTo("0xfefe");
        assertThat(TlsNames.group(29)).isEqualTo("x25519");
        assertThat(TlsNames.signatureScheme(0x0804)).isEqualTo("rsa_pss_rsae_sha256");
    }

    /** Otherwise an allowed suite, group or scheme would be reported as outside the profile. */
    @Test
    void everythingTheRuleSetAllowsIsSomethingTheScannerOffersUnderTheSameName() {
        Set<String> suites = new HashSet<>();
        for (TlsNames.Version version : TlsNames.VERSIONS) {
            TlsNames.candidateSuites(version).forEach(code -> suites.add(TlsNames.suite(code)));
        }
        Set<String> groups = new HashSet<>();
        TlsNames.TLS12_GROUPS.forEach(code -> groups.add(TlsNames.group(code)));
        TlsNames.TLS13_GROUPS.forEach(code -> groups.add(TlsNames.group(code)));
        Set<String> schemes = new HashSet<>();
        TlsNames.SIGNATURE_SCHEMES.forEach(code -> schemes.add(TlsNames.signatureScheme(code)));

        assertThat(suites).containsAll(names(RULES.tls12CipherSuites())).containsAll(names(RULES.tls13CipherSuites()));
        assertThat(groups).containsAll(names(RULES.tls12Groups())).containsAll(names(RULES.tls13Groups()));
        assertThat(schemes).containsAll(names(RULES.signatureSchemes()));
        assertThat(TlsNames.VERSIONS).extracting(TlsNames.Version::name).containsAll(names(RULES.protocols()));
    }

    @Test
    void tls10IsOfferedOnlySuitesItCanNegotiateAndNoPreSharedKeySuites() {
        List<String> tls10 = TlsNames.candidateSuites(TlsNames.VERSIONS.get(3)).stream()
                .map(TlsNames::suite)
                .toList();

        assertThat(tls10)
                .contains("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA")
                .doesNotContain("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256")
                .noneMatch(name -> name.contains("PSK") || name.contains("SCSV"));
    }

    private static List<String> names(List<TlsRuleSet.Rule> rules) {
        return rules.stream().map(TlsRuleSet.Rule::name).toList();
    }
}
