package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * The request deadline of the HTTPS listener ({@link ServerLimits#requestTimeout()}): a client
 * that keeps bytes moving, one at a time, so that the idle timeout never fires, is still closed
 * once its request has taken longer than the deadline; a keep-alive client whose requests each
 * arrive in time keeps its connection for longer than one deadline.
 */
class RequestDeadlineTest {

    private static final String COM = "mta-sts.example.com";
    private static final String PATH = "/.well-known/mta-sts.txt";
    private static final Duration DEADLINE = Duration.ofSeconds(2);

    private static PolicyServer start() throws Exception {
        return PolicyServer.start(
                ServedHosts.of(ExampleHosts.hosts()),
                new ListenAddress("127.0.0.1", 0),
                new ListenAddress("127.0.0.1", 0),
                ServerLimits.DEFAULT.withRequestTimeout(DEADLINE),
                line -> {});
    }

    @Test
    void aClientTricklingItsHeadersIsClosedAtTheDeadlineNotLeftToTheIdleTimeout() throws Exception {
        try (PolicyServer server = start()) {
            TlsClient client = new TlsClient(ExampleHosts.clientTrustingTestCa(), server.port());
            trickle(client);
        }
    }

    private static void trickle(TlsClient client) throws Exception {
        String request = "GET " + PATH + " HTTP/1.1\r\nHost: " + COM + "\r\nX-Slow: " + "x".repeat(200) + "\r\n\r\n";
        long started = System.nanoTime();
        boolean closed = false;
        try (SSLSocket slow = client.connect(COM)) {
            OutputStream out = slow.getOutputStream();
            // A byte every 100 ms: far inside the 10 s idle timeout, never a whole request.
            for (int i = 0; i < request.length() - 2 && !closed; i++) {
                try {
                    out.write(request.charAt(i));
                    out.flush();
                } catch (IOException e) {
                    closed = true;
                }
                Thread.sleep(100);
            }
            if (!closed) {
                // A write after the peer's close may still be buffered; reading tells for sure.
                slow.setSoTimeout(5_000);
                closed = slow.getInputStream().read() == -1;
            }
        } catch (IOException e) {
            closed = true;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(closed).as("connection closed by the server").isTrue();
        assertThat(took)
                .as("closed before the whole request was trickled in (%s)", took)
                .isLessThan(Duration.ofMillis(100L * (request.length() - 2)));
        // Others are served all along and after.
        assertThat(client.request("GET", COM, PATH).status()).isEqualTo(200);
    }

    @Test
    void aKeepAliveConnectionWhoseRequestsEachArriveInTimeOutlivesTheDeadline() throws Exception {
        try (PolicyServer server = start();
                SSLSocket socket = new TlsClient(ExampleHosts.clientTrustingTestCa(), server.port()).connect(COM)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long started = System.nanoTime();
            int answered = 0;
            while (Duration.ofNanos(System.nanoTime() - started).compareTo(DEADLINE.multipliedBy(2)) < 0) {
                out.write(("GET " + PATH + " HTTP/1.1\r\nHost: " + COM + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                assertThat(readResponseStatus(in)).isEqualTo(200);
                answered++;
                Thread.sleep(DEADLINE.toMillis() / 4);
            }
            assertThat(answered).isGreaterThan(4);
        }
    }

    /** Reads one HTTP/1.1 response with a Content-Length body; returns its status. */
    private static int readResponseStatus(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the end of the response headers");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(
                        line.substring("content-length:".length()).trim());
            }
        }
        if (in.readNBytes(length).length != length) {
            throw new IOException("connection closed inside the response body");
        }
        return Integer.parseInt(text.substring(9, 12));
    }
}
