package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mxpolicy.cert.HostNames;
import org.mxpolicy.desired.DesiredState;

/**
 * The policy server on 127.0.0.1 with the example config's two policy hosts and their test
 * certificates, asked by a real TLS client that trusts only the test CA.
 */
class PolicyServerTest {

    private static final String COM = "mta-sts.example.com";
    private static final String NET = "mta-sts.example.net";
    private static final String PATH = "/.well-known/mta-sts.txt";

    private static PolicyServer server;
    private static DesiredState desired;
    private static SSLContext trustingTestCa;
    private static final BlockingQueue<String> accessLog = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        desired = ExampleHosts.desired();
        trustingTestCa = ExampleHosts.clientTrustingTestCa();
        server = PolicyServer.start(
                ServedHosts.of(ExampleHosts.hosts()),
                new ListenAddress("127.0.0.1", 0),
                new ListenAddress("127.0.0.1", 0),
                ServerLimits.DEFAULT,
                accessLog::add);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static TlsClient client() {
        return new TlsClient(trustingTestCa, server.port());
    }

    /** The Content-Type without optional whitespace, in lower case (RFC 9110 section 8.3.1). */
    private static String mediaType(TlsClient.Response response) {
        return response.header("Content-Type").replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static byte[] policyOf(String domain) {
        return desired.policy(domain).orElseThrow().policy().bytes();
    }

    @Test
    void getServesTheExactPolicyBytesOfEachDomain() throws IOException {
        for (String domain : List.of("example.com", "example.net")) {
            TlsClient.Response response = client().request("GET", "mta-sts." + domain, PATH);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(policyOf(domain));
            assertThat(mediaType(response)).isEqualTo("text/plain;charset=utf-8");
            assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(policyOf(domain).length));
            assertThat(response.header("Location")).isNull();
            assertThat(response.header("Server")).isNull();
        }
    }

    @Test
    void headAnswersLikeGetWithoutBody() throws IOException {
        TlsClient.Response response = client().request("HEAD", COM, PATH);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(mediaType(response)).isEqualTo("text/plain;charset=utf-8");
        assertThat(response.header("Location")).isNull();
    }

    @Test
    void eachHostGetsItsOwnCertificateBySni() throws IOException {
        assertThat(HostNames.dnsNames(client().request("GET", COM, PATH).certificate()))
                .containsExactly(COM);
        assertThat(HostNames.dnsNames(client().request("GET", NET, PATH).certificate()))
                .containsExactly(NET);
    }

    @Test
    void theJdkHttpClientAskingByAddressGetsNoCertificate() {
        // An address sends no SNI, so no policy host's certificate is chosen: the handshake fails
        // rather than presenting a certificate for some other name.
        HttpClient http = HttpClient.newBuilder().sslContext(trustingTestCa).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + PATH))
                .build();
        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofByteArray()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void unknownPathIs404AndNeverARedirect() throws IOException {
        for (String path : List.of(
                "/",
                "/.well-known/",
                "/.well-known/mta-sts.txt/",
                "/mta-sts.txt",
                "/.well-known/MTA-STS.TXT",
                "/.well-known/mta-sts.txt.bak")) {
            TlsClient.Response response = client().request("GET", COM, path);
            assertThat(response.status()).as(path).isIn(404);
            assertThat(response.header("Location")).as(path).isNull();
        }
    }

    @Test
    void otherMethodsAre405() throws IOException {
        for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS", "PATCH")) {
            TlsClient.Response response = client().send(
                            COM,
                            method + " " + PATH + " HTTP/1.1\r\nHost: " + COM
                                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertThat(response.status()).as(method).isEqualTo(405);
            assertThat(response.header("Allow")).as(method).isEqualTo("GET, HEAD");
        }
    }

    @Test
    void traceIsNotAnswered() throws IOException {
        TlsClient.Response response = client().request("TRACE", COM, PATH);
        assertThat(response.status()).isIn(400, 405, 501);
        assertThat(response.text()).doesNotContain("Host: " + COM);
    }

    @Test
    void unknownHostHeaderIs404() throws IOException {
        TlsClient.Response response = client().send(
                        COM, "GET " + PATH + " HTTP/1.1\r\nHost: mta-sts.example.org\r\nConnection: close\r\n\r\n");
        assertThat(response.status()).isEqualTo(404);
    }

    @Test
    void hostHeaderForAnotherPolicyHostThanSniIs421() throws IOException {
        TlsClient.Response response =
                client().send(COM, "GET " + PATH + " HTTP/1.1\r\nHost: " + NET + "\r\nConnection: close\r\n\r\n");
        assertThat(response.status()).isEqualTo(421);
        assertThat(response.body()).isNotEqualTo(policyOf("example.net"));
    }

    @Test
    void hostHeaderWithPortUpperCaseAndTrailingDotStillMatches() throws IOException {
        TlsClient.Response response = client().send(
                        COM,
                        "GET " + PATH + " HTTP/1.1\r\nHost: MTA-STS.Example.COM.:" + server.port()
                                + "\r\nConnection: close\r\n\r\n");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(policyOf("example.com"));
    }

    @Test
    void pathTraversalNeverServesAnythingElse() throws IOException {
        for (String path : List.of(
                "/.well-known/../.well-known/mta-sts.txt",
                "/.well-known/%2e%2e/.well-known/mta-sts.txt",
                "/%2e%2e/%2e%2e/etc/passwd",
                "/../../etc/passwd",
                "/.well-known/..%2fmta-sts.txt",
                "/.well-known%2fmta-sts.txt",
                "/.well-known/mta-sts.txt%00",
                "/.well-known//mta-sts.txt")) {
            TlsClient.Response response = client().request("GET", COM, path);
            if (response.status() == 200) {
                assertThat(response.body()).as(path).isEqualTo(policyOf("example.com"));
            } else {
                assertThat(response.status()).as(path).isBetween(400, 499);
            }
            assertThat(response.header("Location")).as(path).isNull();
        }
    }

    @Test
    void aClientSendingItsRequestSlowlyHoldsUpNoOne() throws Exception {
        try (SSLSocket slow = client().connect(COM)) {
            OutputStream out = slow.getOutputStream();
            out.write(("GET " + PATH + " HTTP/1.1\r\nHo").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            for (int i = 0; i < 10; i++) {
                assertThat(client().request("GET", NET, PATH).body()).isEqualTo(policyOf("example.net"));
            }
            out.write(("st: " + COM + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            TlsClient.Response late = TlsClient.read(slow);
            assertThat(late.status()).isEqualTo(200);
            assertThat(late.body()).isEqualTo(policyOf("example.com"));
        }
    }

    @Test
    void oversizedHeadersAreRefused() throws IOException {
        String huge = "x".repeat(ServerLimits.DEFAULT.requestHeaderBytes() + 1);
        TlsClient.Response response;
        try {
            response = client().send(
                            COM,
                            "GET " + PATH + " HTTP/1.1\r\nHost: " + COM + "\r\nX-Filler: " + huge
                                    + "\r\nConnection: close\r\n\r\n");
        } catch (IOException closed) {
            return; // closing the connection is an acceptable refusal
        }
        assertThat(response.status()).isEqualTo(431);
    }

    @Test
    void clientWithoutSniOrWithUnknownSniGetsNoHandshake() {
        assertThatThrownBy(() -> client().send(null, "GET " + PATH + " HTTP/1.1\r\nHost: " + COM + "\r\n\r\n"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> client().request("GET", "mta-sts.example.org", PATH))
                .isInstanceOf(IOException.class);
    }

    @Test
    void tls13AndTls12WithAeadSuitesAreAccepted() throws IOException {
        assertThat(client().request("GET", COM, PATH).protocol()).isEqualTo("TLSv1.3");
        TlsClient.Response tls12 = client().offering(List.of("TLSv1.2"), null).request("GET", COM, PATH);
        assertThat(tls12.protocol()).isEqualTo("TLSv1.2");
        assertThat(tls12.cipherSuite()).startsWith("TLS_ECDHE_").matches(".*_(GCM_SHA\\d+|CHACHA20_POLY1305_SHA256)");
    }

    @Test
    void tls12WithOnlyCbcSuitesFailsTheHandshake() {
        assertThatThrownBy(() -> client().offering(
                                List.of("TLSv1.2"),
                                List.of(
                                        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                                        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
                                        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"))
                        .request("GET", COM, PATH))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void tls11FailsTheHandshake() throws Exception {
        // The JDK refuses TLS 1.1 on its own side too; either side's refusal ends the handshake.
        assertThatThrownBy(() -> client().offering(List.of("TLSv1.1"), null).request("GET", COM, PATH))
                .isInstanceOf(IOException.class);
    }

    @Test
    void adminListenerAnswersHealthz() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + PolicyServer.HEALTH_PATH))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok\n");
    }

    @Test
    void adminListenerServesMetricsWithCertificateExpiry() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + server.adminPort() + PolicyServer.METRICS_PATH))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type.replace(" ", "")).startsWith("text/plain;version=0.0.4"));
        assertThat(response.body())
                .contains("mxpolicy_certificate_not_after_seconds{host=\"" + COM + "\"} ")
                .contains("# TYPE mxpolicy_http_requests_total counter");
    }

    @Test
    void adminPathsAreNotOnThePolicyListener() throws IOException {
        assertThat(client().request("GET", COM, PolicyServer.HEALTH_PATH).status())
                .isEqualTo(404);
        assertThat(client().request("GET", COM, PolicyServer.METRICS_PATH).status())
                .isEqualTo(404);
    }

    @Test
    void requestsAreLogged() throws Exception {
        client().request("GET", NET, PATH + "?logged");
        // The line is written once the response is complete, which may be after the client has it.
        String wanted = "\"GET " + PATH + "?logged HTTP/1.1\" 200";
        String line;
        do {
            line = accessLog.poll(10, TimeUnit.SECONDS);
        } while (line != null && !line.contains(wanted));
        assertThat(line).as("access log line for the request").isNotNull().contains("\"" + NET + "\"");
    }
}
