package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mxpolicy.cert.HostNames;
import org.mxpolicy.testing.GoldenFiles;

/**
 * The client configuration hosts of the example config next to its policy hosts, asked over
 * TLS by a client that trusts only the test CA.
 */
class ClientConfigServerTest {

    private static final String AUTOCONFIG = "autoconfig.example.com";
    private static final String AUTODISCOVER = "autodiscover.example.com";
    private static final String POLICY_HOST = "mta-sts.example.com";
    private static final String REQUEST = """
            <?xml version="1.0" encoding="utf-8"?>
            <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
              <Request>
                <EMailAddress>j.doe+lists@example.com</EMailAddress>
                <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
              </Request>
            </Autodiscover>
            """;

    private static PolicyServer server;

    @BeforeAll
    static void start() throws Exception {
        server = PolicyServer.start(
                ExampleHosts.served(),
                new ListenAddress("127.0.0.1", 0),
                new ListenAddress("127.0.0.1", 0),
                ServerLimits.DEFAULT,
                line -> {});
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static TlsClient client() throws Exception {
        return new TlsClient(ExampleHosts.clientTrustingTestCa(), server.port());
    }

    private static String golden(String name) throws IOException {
        return Files.readString(GoldenFiles.ROOT.resolve(name), StandardCharsets.UTF_8);
    }

    private static String mediaType(TlsClient.Response response) {
        return response.header("Content-Type").replace(" ", "").toLowerCase(Locale.ROOT);
    }

    private static TlsClient.Response post(String sni, String host, String path, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return client().send(
                        sni,
                        "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: text/xml\r\n"
                                + "Content-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n" + body);
    }

    @Test
    void autodiscoverBodiesArrivingSlowlyHoldUpNoOtherRequest() throws Exception {
        byte[] body = REQUEST.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + ClientConfigRoutes.AUTODISCOVER_PATH + " HTTP/1.1\r\nHost: " + AUTODISCOVER
                + "\r\nContent-Type: text/xml\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        // More slow connections than the listener has selector threads, so that every selector
        // has one whichever way connections are spread over them.
        List<SSLSocket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                SSLSocket socket = client().connect(AUTODISCOVER);
                slow.add(socket);
                socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().write(body, 0, 10);
                socket.getOutputStream().flush();
            }
            // The Autodiscover route now waits for the rest of each body; policy requests are
            // answered on the threads that read them, other routes on the pool: neither waits.
            for (int i = 0; i < 10; i++) {
                assertThat(client().request("GET", POLICY_HOST, PolicyRoutes.POLICY_PATH)
                                .status())
                        .isEqualTo(200);
                assertThat(client().request("GET", AUTOCONFIG, ClientConfigRoutes.AUTOCONFIG_PATH)
                                .status())
                        .isEqualTo(200);
            }
            for (SSLSocket socket : slow) {
                socket.getOutputStream().write(body, 10, body.length - 10);
                socket.getOutputStream().flush();
                TlsClient.Response late = TlsClient.read(socket);
                assertThat(late.status()).isEqualTo(200);
                assertThat(late.text()).contains("<Protocol>");
            }
        } finally {
            for (SSLSocket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void autoconfigServesTheDocumentWithItsOwnCertificate() throws Exception {
        for (String path : new String[] {
            ClientConfigRoutes.AUTOCONFIG_PATH, ClientConfigRoutes.AUTOCONFIG_PATH + "?emailaddress=j.doe%40example.com"
        }) {
            TlsClient.Response response = client().request("GET", AUTOCONFIG, path);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.text()).isEqualTo(golden("serve/autoconfig-example.com.xml"));
            assertThat(mediaType(response)).isEqualTo("application/xml;charset=utf-8");
            assertThat(HostNames.dnsNames(response.certificate())).containsExactly(AUTOCONFIG);
        }
        TlsClient.Response head = client().request("HEAD", AUTOCONFIG, ClientConfigRoutes.AUTOCONFIG_PATH);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void autodiscoverAnswersOutlooksRequestWithTheAddressAsLogin() throws Exception {
        for (String path : new String[] {"/autodiscover/autodiscover.xml", "/Autodiscover/Autodiscover.xml"}) {
            TlsClient.Response response = post(AUTODISCOVER, AUTODISCOVER, path, REQUEST);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.text()).isEqualTo(golden("serve/autodiscover-example.com.xml"));
            assertThat(mediaType(response)).isEqualTo("text/xml;charset=utf-8");
            assertThat(HostNames.dnsNames(response.certificate())).containsExactly(AUTODISCOVER);
        }
    }

    @Test
    void aMalformedOrOversizedAutodiscoverRequestGets400() throws Exception {
        String path = ClientConfigRoutes.AUTODISCOVER_PATH;
        assertThat(post(AUTODISCOVER, AUTODISCOVER, path, "<Autodiscover><Request>")
                        .status())
                .isEqualTo(400);
        assertThat(post(AUTODISCOVER, AUTODISCOVER, path, REQUEST.replace("example.com</EMail", "example.net</EMail"))
                        .status())
                .isEqualTo(400);
        String big = REQUEST + "<!--" + "x".repeat(AutodiscoverRequest.MAX_BYTES) + "-->";
        assertThat(post(AUTODISCOVER, AUTODISCOVER, path, big).status()).isEqualTo(400);
        // chunked, so the size is known only while reading
        TlsClient.Response chunked = client().send(
                        AUTODISCOVER,
                        "POST " + path + " HTTP/1.1\r\nHost: " + AUTODISCOVER
                                + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                                + Integer.toHexString(big.length()) + "\r\n" + big + "\r\n0\r\n\r\n");
        assertThat(chunked.status()).isEqualTo(400);
    }

    @Test
    void eachPathAnswersOnlyWithItsOwnMethods() throws Exception {
        TlsClient.Response get = client().request("GET", AUTODISCOVER, ClientConfigRoutes.AUTODISCOVER_PATH);
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.header("Allow")).isEqualTo("POST");
        TlsClient.Response postAutoconfig = post(AUTOCONFIG, AUTOCONFIG, ClientConfigRoutes.AUTOCONFIG_PATH, REQUEST);
        assertThat(postAutoconfig.status()).isEqualTo(405);
        assertThat(postAutoconfig.header("Allow")).isEqualTo("GET, HEAD");
    }

    @Test
    void eachPathAnswersOnlyOnItsOwnHosts() throws Exception {
        assertThat(client().request("GET", POLICY_HOST, ClientConfigRoutes.AUTOCONFIG_PATH)
                        .status())
                .isEqualTo(404);
        assertThat(client().request("GET", AUTODISCOVER, ClientConfigRoutes.AUTOCONFIG_PATH)
                        .status())
                .isEqualTo(404);
        assertThat(client().request("GET", AUTOCONFIG, PolicyRoutes.POLICY_PATH).status())
                .isEqualTo(404);
        assertThat(post(AUTOCONFIG, AUTOCONFIG, ClientConfigRoutes.AUTODISCOVER_PATH, REQUEST)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aHostOtherThanTheTlsServerNameIsMisdirected() throws Exception {
        TlsClient.Response autoconfigOnPolicyConnection = client().send(
                        POLICY_HOST,
                        "GET " + ClientConfigRoutes.AUTOCONFIG_PATH + " HTTP/1.1\r\nHost: " + AUTOCONFIG
                                + "\r\nConnection: close\r\n\r\n");
        assertThat(autoconfigOnPolicyConnection.status()).isEqualTo(421);
        assertThat(post(AUTOCONFIG, AUTODISCOVER, ClientConfigRoutes.AUTODISCOVER_PATH, REQUEST)
                        .status())
                .isEqualTo(421);
    }

    @Test
    void metricsCountTheNewHostsAndShowTheirCertificates() throws Exception {
        client().request("GET", AUTOCONFIG, ClientConfigRoutes.AUTOCONFIG_PATH);
        post(AUTODISCOVER, AUTODISCOVER, ClientConfigRoutes.AUTODISCOVER_PATH, "<broken");
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + server.adminPort() + PolicyServer.METRICS_PATH))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(metrics)
                .containsPattern("mxpolicy_http_requests_total\\{host=\"autoconfig.example.com\",status=\"200\"} [1-9]")
                .containsPattern(
                        "mxpolicy_http_requests_total\\{host=\"autodiscover.example.com\",status=\"400\"} [1-9]")
                .contains("mxpolicy_certificate_not_after_seconds{host=\"autoconfig.example.com\"}")
                .contains("mxpolicy_certificate_not_after_seconds{host=\"autodiscover.example.com\"}")
                .contains("mxpolicy_certificate_not_after_seconds{host=\"mta-sts.example.net\"}");
    }
}
