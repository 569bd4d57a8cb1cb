package org.mxpolicy.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.record.MtaStsMode;
import org.mxpolicy.record.MtaStsPolicy;

/**
 * The fetch against a small JDK HTTPS server on loopback playing a policy host that gets things
 * wrong in the ways {@code mxpolicy serve} never does: redirects, other media types, oversized
 * or chunked bodies, silence. {@code HttpsPolicyFetchIT} fetches from the real server.
 */
class HttpsPolicyFetchTest {

    private static final String DOMAIN = "example.test";
    private static final String HOST = "mta-sts." + DOMAIN;
    private static final InMemoryPki.Issuer CA = InMemoryPki.rootCa("Fetch Test CA");
    private static final KeyPair KEY = InMemoryPki.ec("secp256r1");
    private static final X509Certificate LEAF = InMemoryPki.issued(KEY, HOST, CA, false, HOST);
    private static final MtaStsPolicy POLICY = new MtaStsPolicy(MtaStsMode.ENFORCE, List.of("mx1.example.test"), 86400);

    private HttpsServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    /** Serves {@code handler} at the policy path with the given certificate. */
    private ConnectOverrides serve(X509Certificate leaf, HttpHandler handler) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("host", KEY.getPrivate(), new char[0], new Certificate[] {leaf, CA.certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext(HttpsPolicyFetch.PATH, handler);
        server.start();
        return ConnectOverrides.parse(
                List.of(HOST + ":443=127.0.0.1:" + server.getAddress().getPort()));
    }

    private ConnectOverrides serve(HttpHandler handler) throws Exception {
        return serve(LEAF, handler);
    }

    private static HttpHandler respond(int status, String contentType, byte[] body, boolean chunked) {
        return exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (contentType != null) {
                exchange.getResponseHeaders().set("Content-Type", contentType);
            }
            exchange.sendResponseHeaders(status, chunked ? 0 : body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        };
    }

    private static PolicyObservation fetch(ConnectOverrides overrides) {
        return HttpsPolicyFetch.trusting(List.of(CA.certificate()), Duration.ofSeconds(10), overrides)
                .fetch(DOMAIN, List.of());
    }

    @Test
    void aPolicyServedAsTextPlainWithContentLengthIsAccepted() throws Exception {
        ConnectOverrides overrides = serve(respond(200, "text/plain", POLICY.bytes(), false));

        PolicyObservation seen = fetch(overrides);

        assertThat(seen.problem()).isEmpty();
        assertThat(seen.accepted()).isTrue();
        assertThat(seen.url()).hasToString("https://mta-sts.example.test/.well-known/mta-sts.txt");
        assertThat(seen.status()).contains(200);
        assertThat(seen.contentType()).contains("text/plain");
        assertThat(seen.body()).isEqualTo(POLICY.bytes());
        assertThat(seen.chain()).containsExactly(LEAF, CA.certificate());
    }

    @Test
    void theRequestCarriesTheRealHostNameWhateverAddressItGoesTo() throws Exception {
        String[] hostHeader = new String[1];
        ConnectOverrides overrides = serve(exchange -> {
            hostHeader[0] = exchange.getRequestHeaders().getFirst("Host");
            respond(200, "text/plain", POLICY.bytes(), false).handle(exchange);
        });

        assertThat(fetch(overrides).accepted()).isTrue();
        assertThat(hostHeader[0]).isEqualTo(HOST);
    }

    @Test
    void mediaTypeParametersAndCaseAreAllowedAndAChunkedBodyIsReassembled() throws Exception {
        ConnectOverrides overrides = serve(respond(200, "Text/Plain; charset=utf-8", POLICY.bytes(), true));

        PolicyObservation seen = fetch(overrides);

        assertThat(seen.problem()).isEmpty();
        assertThat(seen.body()).isEqualTo(POLICY.bytes());
    }

    @Test
    void aRedirectIsAProblemAndIsNotFollowed() throws Exception {
        int[] requests = new int[1];
        ConnectOverrides overrides = serve(exchange -> {
            requests[0]++;
            exchange.getResponseHeaders().set("Location", "https://www.example.test/mta-sts.txt");
            exchange.sendResponseHeaders(301, -1);
            exchange.close();
        });

        PolicyObservation seen = fetch(overrides);

        assertThat(seen.status()).contains(301);
        assertThat(seen.problem())
                .contains("redirect (301) to https://www.example.test/mta-sts.txt; senders do not"
                        + " follow redirects (RFC 8461 section 3.3)");
        assertThat(requests[0]).isEqualTo(1);
    }

    @Test
    void anotherMediaTypeIsAProblem() throws Exception {
        ConnectOverrides overrides = serve(respond(200, "text/html; charset=utf-8", POLICY.bytes(), false));

        PolicyObservation seen = fetch(overrides);

        assertThat(seen.problem()).contains("media type text/html, not text/plain (RFC 8461 section 3.2)");
        assertThat(seen.contentType()).contains("text/html; charset=utf-8");
        assertThat(seen.body()).isEqualTo(POLICY.bytes());
    }

    @Test
    void aMissingContentTypeIsAProblem() throws Exception {
        ConnectOverrides overrides = serve(respond(200, null, POLICY.bytes(), false));

        assertThat(fetch(overrides).problem())
                .contains("no Content-Type; senders need text/plain (RFC 8461 section 3.2)");
    }

    @Test
    void aStatusOtherThan200IsAProblem() throws Exception {
        ConnectOverrides overrides =
                serve(respond(404, "text/plain", "not found\n".getBytes(StandardCharsets.US_ASCII), false));

        PolicyObservation seen = fetch(overrides);

        assertThat(seen.status()).contains(404);
        assertThat(seen.problem()).contains("status 404, not 200 (RFC 8461 section 3.3)");
    }

    @Test
    void aBodyThatIsNoPolicyIsAProblemNamingTheLine() throws Exception {
        byte[] broken = "version: STSv1\r\nmode: strict\r\nmx: mx1.example.test\r\nmax_age: 86400\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        ConnectOverrides overrides = serve(respond(200, "text/plain", broken, false));

        PolicyObservation seen = fetch(overrides);

        assertThat(seen.problem())
                .contains("the policy does not parse: line 2: mode 'strict' is not one of enforce,"
                        + " testing, none (lower case, RFC 8461 section 3.2)");
        assertThat(seen.body()).isEqualTo(broken);
    }

    @Test
    void bodiesOver64KibAreRefusedWhateverTheirFraming() throws Exception {
        byte[] huge = new byte[HttpsPolicyFetch.MAX_BODY_BYTES + 1];
        ConnectOverrides overrides = serve(respond(200, "text/plain", huge, false));
        assertThat(fetch(overrides).problem()).contains("body of 65537 bytes is larger than 64 KiB");
        server.stop(0);

        overrides = serve(respond(200, "text/plain", huge, true));
        assertThat(fetch(overrides).problem()).contains("body larger than 64 KiB");
    }

    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        X509Certificate otherName = InMemoryPki.issued(KEY, "www.example.test", CA, false, "www.example.test");
        ConnectOverrides overrides = serve(otherName, respond(200, "text/plain", POLICY.bytes(), false));

        PolicyObservation seen = fetch(overrides);

        assertThat(seen.problem()).get().asString().startsWith("certificate is not valid for mta-sts.example.test: ");
        assertThat(seen.status()).isEmpty();
    }

    @Test
    void aCertificateFromAnUntrustedCaIsRefused() throws Exception {
        ConnectOverrides overrides = serve(respond(200, "text/plain", POLICY.bytes(), false));
        InMemoryPki.Issuer otherCa = InMemoryPki.rootCa("Another CA");

        PolicyObservation seen = HttpsPolicyFetch.trusting(
                        List.of(otherCa.certificate()), Duration.ofSeconds(10), overrides)
                .fetch(DOMAIN, List.of());

        assertThat(seen.problem())
                .get()
                .asString()
                .startsWith("certificate of mta-sts.example.test does not chain to a trusted CA: ");
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        ConnectOverrides overrides = serve(exchange -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });

        PolicyObservation seen = HttpsPolicyFetch.trusting(List.of(CA.certificate()), Duration.ofMillis(500), overrides)
                .fetch(DOMAIN, List.of());

        assertThat(seen.problem()).contains("timed out after 500 ms waiting for the response");
    }

    @Test
    void aClosedPortIsAProblemNamingTheAddress() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        ConnectOverrides overrides = ConnectOverrides.parse(List.of(HOST + ":443=127.0.0.1:" + port));

        PolicyObservation seen = HttpsPolicyFetch.trusting(List.of(CA.certificate()), Duration.ofSeconds(10), overrides)
                .fetch("Example.TEST.", List.of());

        assertThat(seen.url()).hasToString("https://mta-sts.example.test/.well-known/mta-sts.txt");
        assertThat(seen.problem())
                .contains("cannot connect to mta-sts.example.test (127.0.0.1:" + port + ": connection refused)");
        assertThat(seen.status()).isEmpty();
        assertThat(seen.body()).isEmpty();
    }

    @Test
    void aCaBundleIsReadWithTextBetweenCertificates() throws Exception {
        InMemoryPki.Issuer other = InMemoryPki.rootCa("Second CA");
        String bundle =
                "# first\n" + InMemoryPki.pem(CA.certificate()) + "# second\n" + InMemoryPki.pem(other.certificate());

        assertThat(HttpsPolicyFetch.readCaBundle(InMemoryPki.stream(bundle), "ca.pem"))
                .containsExactly(CA.certificate(), other.certificate());
        assertThatThrownBy(() -> HttpsPolicyFetch.readCaBundle(InMemoryPki.stream("no certificates here\n"), "ca.pem"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("ca.pem");
    }

    @Test
    void withoutAnAddressOrAnOverrideNothingIsLookedUpElsewhere() {
        PolicyObservation seen = HttpsPolicyFetch.trusting(
                        List.of(CA.certificate()), Duration.ofSeconds(10), ConnectOverrides.none())
                .fetch(DOMAIN, List.of());

        assertThat(seen.problem()).contains("no address for mta-sts.example.test (no A or AAAA record)");
        assertThat(seen.status()).isEmpty();
    }
}
