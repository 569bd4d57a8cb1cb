package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.mxpolicy.tls.TlsProfile;
import org.mxpolicy.tls.TlsRuleSet;

class ServerTlsTest {

    private static final TlsRuleSet EDITION = TlsRuleSet.editions().get(0);

    @Test
    void offersExactlyTheBsiProfilesVersionsAndSuitesInItsOrder() throws Exception {
        TlsProfile bsi = TlsProfile.of(TlsProfile.Choice.BSI, EDITION);
        SslContextFactory.Server factory = ServerTls.forCertificates(certificates(), bsi);
        factory.start();
        try {
            assertThat(factory.getSelectedProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
            assertThat(Arrays.asList(factory.getSelectedCipherSuites())).containsExactlyElementsOf(bsi.cipherSuites());
            assertThat(factory.isUseCipherSuitesOrder()).isTrue();
            assertThat(factory.isRenegotiationAllowed()).isFalse();
            assertThat(factory.isSniRequired()).isTrue();
        } finally {
            factory.stop();
        }
    }

    @Test
    void theModernProfileAddsChaCha20AfterAesGcm() throws Exception {
        TlsProfile modern = TlsProfile.of(TlsProfile.Choice.MODERN, EDITION);
        SslContextFactory.Server factory = ServerTls.forCertificates(certificates(), modern);
        factory.start();
        try {
            assertThat(Arrays.asList(factory.getSelectedCipherSuites()))
                    .containsExactlyElementsOf(modern.cipherSuites())
                    .contains("TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
        } finally {
            factory.stop();
        }
    }

    @Test
    void hasOneKeyStoreEntryPerHost() throws Exception {
        SslContextFactory.Server factory = ServerTls.forCertificates(certificates(), ServerTls.defaultProfile());
        assertThat(java.util.Collections.list(factory.getKeyStore().aliases()))
                .containsExactlyInAnyOrder("mta-sts.example.com", "mta-sts.example.net");
    }

    private static List<HostCertificate> certificates() throws Exception {
        return ExampleHosts.hosts().stream().map(PolicyHost::certificate).toList();
    }
}
