package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;

class ServerTlsTest {

    @Test
    void offersOnlyTls13And12WithEcdheAeadSuitesInServerOrder() throws Exception {
        SslContextFactory.Server factory = ServerTls.contextFactory(ExampleHosts.hosts());
        factory.start();
        try {
            assertThat(factory.getSelectedProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
            List<String> suites = Arrays.asList(factory.getSelectedCipherSuites());
            assertThat(suites).isNotEmpty().allSatisfy(suite -> assertThat(suite)
                    .matches("TLS_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256"
                            + "|ECDHE_(ECDSA|RSA)_WITH_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256))"));
            assertThat(suites).isSubsetOf(ServerTls.CIPHER_SUITES);
            assertThat(factory.isUseCipherSuitesOrder()).isTrue();
            assertThat(factory.isRenegotiationAllowed()).isFalse();
            assertThat(factory.isSniRequired()).isTrue();
        } finally {
            factory.stop();
        }
    }

    @Test
    void hasOneKeyStoreEntryPerHost() throws Exception {
        SslContextFactory.Server factory = ServerTls.contextFactory(ExampleHosts.hosts());
        assertThat(java.util.Collections.list(factory.getKeyStore().aliases()))
                .containsExactlyInAnyOrder("mta-sts.example.com", "mta-sts.example.net");
    }

    @Test
    void looksForClientCertificatesOnlyWhenItAsksForThem() throws Exception {
        List<String> asked = new java.util.ArrayList<>();
        javax.net.ssl.SSLSession session = (javax.net.ssl.SSLSession) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {javax.net.ssl.SSLSession.class}, (proxy, method, args) -> {
                    asked.add(method.getName());
                    if (method.getName().equals("getPeerCertificates")) {
                        throw new javax.net.ssl.SSLPeerUnverifiedException("peer not authenticated");
                    }
                    return null;
                });
        for (TlsEngine engine : List.of(TlsEngine.JSSE, TlsEngine.of(TlsEngine.Choice.CONSCRYPT))) {
            SslContextFactory.Server factory = ServerTls.forCertificates(
                    ExampleHosts.hosts().stream().map(PolicyHost::certificate).toList(), engine);
            assertThat(factory.getX509CertChain(session)).isNull();
            assertThat(asked).as("the session asked for nothing").isEmpty();

            factory.setWantClientAuth(true);
            assertThat(factory.getX509CertChain(session)).isNull();
            assertThat(asked).as("asked, once client certificates are wanted").containsExactly("getPeerCertificates");
            asked.clear();
        }
    }
}
