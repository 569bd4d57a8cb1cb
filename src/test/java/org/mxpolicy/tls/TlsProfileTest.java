package org.mxpolicy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class TlsProfileTest {

    private static final TlsRuleSet EDITION = TlsRuleSet.editions().get(0);

    @Test
    void bsiIsTheEditionsAeadSuitesAndCurvesAsFarAsJsseHasThem() {
        TlsProfile bsi = TlsProfile.of(TlsProfile.Choice.BSI, EDITION);
        assertThat(bsi.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(bsi.cipherSuites())
                .containsExactly(
                        "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
                        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(bsi.namedGroups()).containsExactly("secp256r1", "secp384r1");
        assertThat(bsi.signatureSchemes())
                .containsExactly(
                        "ecdsa_secp256r1_sha256",
                        "ecdsa_secp384r1_sha384",
                        "rsa_pss_rsae_sha256",
                        "rsa_pss_rsae_sha384",
                        "rsa_pss_rsae_sha512",
                        "rsa_pss_pss_sha256",
                        "rsa_pss_pss_sha384",
                        "rsa_pss_pss_sha512",
                        "rsa_pkcs1_sha256",
                        "rsa_pkcs1_sha384",
                        "rsa_pkcs1_sha512");
    }

    @Test
    void everythingOfBsiIsInTheEditionWithASection() {
        TlsProfile bsi = TlsProfile.of(TlsProfile.Choice.BSI, EDITION);
        List<String> listed = new java.util.ArrayList<>();
        for (var rules : List.of(
                EDITION.tls13CipherSuites(),
                EDITION.tls12CipherSuites(),
                EDITION.tls13Groups(),
                EDITION.tls12Groups(),
                EDITION.signatureSchemes())) {
            rules.forEach(rule -> listed.add(rule.name()));
        }
        assertThat(listed)
                .containsAll(bsi.cipherSuites())
                .containsAll(bsi.namedGroups())
                .containsAll(bsi.signatureSchemes());
    }

    @Test
    void modernAddsX25519FirstAndChaCha20AfterAesGcm() {
        TlsProfile bsi = TlsProfile.of(TlsProfile.Choice.BSI, EDITION);
        TlsProfile modern = TlsProfile.of(TlsProfile.Choice.MODERN, EDITION);
        assertThat(modern.namedGroups()).containsExactly("x25519", "secp256r1", "secp384r1");
        assertThat(modern.cipherSuites())
                .containsAll(bsi.cipherSuites())
                .containsExactly(
                        "TLS_AES_256_GCM_SHA384",
                        "TLS_AES_128_GCM_SHA256",
                        "TLS_CHACHA20_POLY1305_SHA256",
                        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        assertThat(modern.signatureSchemes()).isEqualTo(bsi.signatureSchemes());
    }

    /**
     * What the profiles assume of JSSE holds on the running JDK: every suite named as supported
     * is, and AES-CCM is not (a JDK that adds it changes the {@code bsi} profile: update
     * {@link TlsProfile#JSSE_CIPHER_SUITES}).
     */
    @Test
    void theJdkSupportsTheSuitesTheProfileAssumesAndNoCcm() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        List<String> supported =
                Arrays.asList(context.getSupportedSSLParameters().getCipherSuites());
        assertThat(supported).containsAll(TlsProfile.JSSE_CIPHER_SUITES).doesNotContain("TLS_AES_128_CCM_SHA256");
    }
}
