package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.conscrypt.Conscrypt;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mxpolicy.testing.ConscryptPlatform;

/**
 * The two TLS engines of the policy listener, Conscrypt and the JSSE fallback, give the same
 * TLS: same protocols and suites (TR-03116-4), the certificate chosen by SNI, no handshake
 * without SNI or with an unknown name, the Host/SNI rule. They differ in one point, pinned here:
 * the TLS 1.3 suite. {@link PolicyServerTest} covers the rest on the default engine, JSSE.
 */
class TlsEnginesTest {

    private static final String COM = "mta-sts.example.com";
    private static final String NET = "mta-sts.example.net";
    private static final String PATH = "/.well-known/mta-sts.txt";

    static Stream<TlsEngine> engines() {
        return Stream.of(TlsEngine.of(TlsEngine.Choice.CONSCRYPT), TlsEngine.JSSE);
    }

    @Test
    void conscryptLoadsWhereTheJarShipsItsNativeLibrary() {
        ConscryptPlatform.assumeNativeLibraryShipped();
        TlsEngine engine = TlsEngine.of(TlsEngine.Choice.CONSCRYPT);
        assertThat(engine.fallbackReason()).isEmpty();
        assertThat(engine.provider()).hasValueSatisfying(provider -> assertThat(Conscrypt.isConscrypt(provider)).isTrue());
        assertThat(engine.describe()).startsWith("Conscrypt ").endsWith(" (BoringSSL)");
        assertThat(TlsEngine.of(TlsEngine.Choice.JSSE)).isSameAs(TlsEngine.JSSE);
    }

    @Test
    void fallsBackToJsseWithTheReasonWhenTheNativeLibraryCannotLoad() {
        TlsEngine engine = TlsEngine.load(() -> {
            throw new UnsatisfiedLinkError("Failed creating temp file (/tmp/libconscrypt_openjdk_jni-linux-x86_64.so)");
        });
        assertThat(engine.provider()).isEmpty();
        // As the server starts it on JSSE: with the key exchange's provider installed.
        TlsCryptoProvider.install();
        assertThat(engine.describe()).startsWith("JSSE (JDK), X25519 ").endsWith("; Conscrypt's native library cannot load: "
                + "Failed creating temp file (/tmp/libconscrypt_openjdk_jni-linux-x86_64.so)");
        if (ConscryptPlatform.nativeLibraryShipped()) {
            // "and ECDSA signing" too, unless a test before put Bouncy Castle's ECDSA first.
            assertThat(engine.describe()).contains(" in BoringSSL (Conscrypt ");
        }
    }

    @Test
    void theProviderIsNotRegisteredJvmWide() throws Exception {
        SslContextFactory.Server factory = ServerTls.forCertificates(certificates(), TlsEngine.of(TlsEngine.Choice.CONSCRYPT));
        factory.start();
        try {
            assertThat(Arrays.stream(java.security.Security.getProviders()).filter(Conscrypt::isConscrypt)).isEmpty();
            assertThat(SSLContext.getDefault().getProvider().getName()).isEqualTo("SunJSSE");
        } finally {
            factory.stop();
        }
    }

    @Test
    void jsseIsWhatTheFactoryUsesWithoutAProvider() throws Exception {
        SslContextFactory.Server factory = ServerTls.forCertificates(certificates(), TlsEngine.JSSE);
        factory.start();
        try {
            assertThat(Conscrypt.isConscrypt(factory.newSSLEngine())).isFalse();
            assertThat(factory.getSslContext().getProvider().getName()).isEqualTo("SunJSSE");
        } finally {
            factory.stop();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void bothEnginesSelectTheSameProtocolsAndSuitesInTheSameOrder(TlsEngine engine) throws Exception {
        SslContextFactory.Server factory = ServerTls.forCertificates(certificates(), engine);
        factory.start();
        try {
            assertThat(Conscrypt.isConscrypt(factory.newSSLEngine())).isEqualTo(engine.provider().isPresent());
            assertThat(factory.getSelectedProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
            // Both engines know every suite of the list, so the selection is the list itself.
            assertThat(factory.getSelectedCipherSuites()).containsExactlyElementsOf(ServerTls.CIPHER_SUITES);
            assertThat(factory.isUseCipherSuitesOrder()).isTrue();
            assertThat(factory.isRenegotiationAllowed()).isFalse();
        } finally {
            factory.stop();
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void bothEnginesChooseTheCertificateBySniAndKeepTheHostRules(TlsEngine engine) throws Exception {
        try (PolicyServer server = start(engine)) {
            TlsClient client = new TlsClient(ExampleHosts.clientTrustingTestCa(), server.port());
            for (String host : List.of(COM, NET)) {
                TlsClient.Response response = client.request("GET", host, PATH);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.protocol()).isEqualTo("TLSv1.3");
                assertThat(response.certificate().getSubjectX500Principal().getName()).contains(host);
            }
            TlsClient.Response misdirected = client.send(COM, "GET " + PATH + " HTTP/1.1\r\nHost: " + NET
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(misdirected.status()).isEqualTo(PolicyRoutes.MISDIRECTED_REQUEST);
            // Refused during the handshake: JSSE says handshake_failure, BoringSSL internal_error.
            String alert = engine.provider().isPresent() ? "internal_error" : "handshake_failure";
            assertThatThrownBy(() -> client.send(null, "GET " + PATH + " HTTP/1.1\r\nHost: " + COM + "\r\n\r\n"))
                    .isInstanceOf(SSLException.class).hasMessage("Received fatal alert: " + alert);
            assertThatThrownBy(() -> client.request("GET", "mta-sts.example.org", PATH)).isInstanceOf(IOException.class);
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void bothEnginesPreferAes256GcmOnTls12AndRefuseCbc(TlsEngine engine) throws Exception {
        try (PolicyServer server = start(engine)) {
            TlsClient client = new TlsClient(ExampleHosts.clientTrustingTestCa(), server.port());
            // The client lists AES-128 first; the server's order wins.
            TlsClient.Response tls12 = client.offering(List.of("TLSv1.2"), List.of(
                    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"))
                    .request("GET", COM, PATH);
            assertThat(tls12.protocol()).isEqualTo("TLSv1.2");
            assertThat(tls12.cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
            assertThatThrownBy(() -> new TlsClient(ExampleHosts.clientTrustingTestCa(), server.port())
                    .offering(List.of("TLSv1.2"), List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"))
                    .request("GET", COM, PATH)).isInstanceOf(IOException.class);
        }
    }

    /**
     * The one difference: JSSE picks the TLS 1.3 suite in the server's order, BoringSSL in the
     * client's (it has no server order for TLS 1.3). Both pick only among the three TLS 1.3 suites.
     */
    @Test
    void onTls13JsseKeepsTheServersOrderAndConscryptTheClients() throws Exception {
        List<String> chachaFirst = List.of("TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384");
        try (PolicyServer jsse = start(TlsEngine.JSSE)) {
            assertThat(new TlsClient(ExampleHosts.clientTrustingTestCa(), jsse.port()).offering(List.of("TLSv1.3"), chachaFirst)
                    .request("GET", COM, PATH).cipherSuite()).isEqualTo("TLS_AES_256_GCM_SHA384");
        }
        TlsEngine conscrypt = TlsEngine.of(TlsEngine.Choice.CONSCRYPT);
        assumeTrue(conscrypt.provider().isPresent(), conscrypt.describe());
        try (PolicyServer server = start(conscrypt)) {
            assertThat(new TlsClient(ExampleHosts.clientTrustingTestCa(), server.port()).offering(List.of("TLSv1.3"), chachaFirst)
                    .request("GET", COM, PATH).cipherSuite()).isEqualTo("TLS_CHACHA20_POLY1305_SHA256");
        }
    }

    private static PolicyServer start(TlsEngine engine) throws Exception {
        return PolicyServer.start(ServedHosts.of(ExampleHosts.hosts()), new ListenAddress("127.0.0.1", 0),
                new ListenAddress("127.0.0.1", 0), ServerLimits.DEFAULT, line -> { }, engine);
    }

    private static List<HostCertificate> certificates() throws Exception {
        return ExampleHosts.hosts().stream().map(PolicyHost::certificate).toList();
    }
}
