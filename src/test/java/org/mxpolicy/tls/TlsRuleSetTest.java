package org.mxpolicy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class TlsRuleSetTest {

    @Test
    void theEditionInForceIsTheLatestPublishedOnOrBeforeTheDate() {
        TlsRuleSet edition = TlsRuleSet.inForceAt(LocalDate.of(2026, 12, 7)).orElseThrow();
        assertThat(edition.edition()).isEqualTo("TR-03116-4");
        assertThat(edition.published()).isEqualTo(LocalDate.of(2022, 1, 24));
        assertThat(TlsRuleSet.inForceAt(LocalDate.of(2022, 1, 24))).contains(edition);
        assertThat(TlsRuleSet.inForceAt(LocalDate.of(2022, 1, 23))).isEmpty();
    }

    @Test
    void everyEntryCitesASectionOfTheEdition() {
        for (TlsRuleSet edition : TlsRuleSet.editions()) {
            assertThat(edition.protocols()).extracting(TlsRuleSet.Rule::name).containsExactly("TLSv1.3", "TLSv1.2");
            for (var rules : java.util.List.of(
                    edition.protocols(),
                    edition.tls13CipherSuites(),
                    edition.tls12CipherSuites(),
                    edition.tls13Groups(),
                    edition.tls12Groups(),
                    edition.signatureSchemes(),
                    edition.minKeyBits(),
                    edition.certificateSignatureHashes())) {
                assertThat(rules)
                        .isNotEmpty()
                        .allSatisfy(rule -> assertThat(rule.section()).matches("\\d+(\\.\\d+)+.*"));
            }
        }
    }

    @Test
    void theEditionOf2022ListsNeitherX25519NorChaCha20() {
        TlsRuleSet edition = TlsRuleSet.inForceAt(LocalDate.of(2026, 1, 1)).orElseThrow();
        assertThat(edition.tls13Groups())
                .extracting(TlsRuleSet.Rule::name)
                .doesNotContain("x25519")
                .contains("secp256r1", "secp384r1", "brainpoolP256r1tls13");
        assertThat(edition.tls13CipherSuites())
                .extracting(TlsRuleSet.Rule::name)
                .containsExactly("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_AES_128_CCM_SHA256");
        assertThat(edition.tls12CipherSuites())
                .extracting(TlsRuleSet.Rule::name)
                .noneMatch(s -> s.contains("CHACHA20"));
        assertThat(edition.minKeyBits())
                .filteredOn(rule -> rule.name().equals("RSA"))
                .singleElement()
                .extracting(TlsRuleSet.Rule::bits)
                .isEqualTo(3000);
    }

    @Test
    void readsAnEditionFromItsText() throws Exception {
        TlsRuleSet edition = TlsRuleSet.read(new StringReader("""
                edition: TR-03116-4
                title: test
                version: "Stand 2099"
                published: 2099-01-01
                protocols:
                  - {name: TLSv1.3, section: "2.1.1"}
                tls13_groups:
                  - {name: secp256r1, kind: ec, section: "2.3.1", note: "n"}
                """));
        assertThat(edition.describe()).isEqualTo("TR-03116-4 (Stand 2099, 2099-01-01)");
        assertThat(edition.tls13Groups()).containsExactly(new TlsRuleSet.Rule("secp256r1", "2.3.1", "ec", 0, "", "n"));
        assertThat(edition.tls12CipherSuites()).isEmpty();
    }
}
