package org.mxpolicy.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.record.MtaStsMode;
import org.mxpolicy.record.MtaStsPolicy;
import org.mxpolicy.record.MtaStsPolicyParser;
import org.mxpolicy.testing.Launcher;

/**
 * The fetch against {@code mxpolicy serve} as users run it (the packaged launcher and the
 * example config), reached through connect overrides on a loopback port, trusting the
 * examples' test CA.
 */
class HttpsPolicyFetchIT {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(30);
    private static final Path ROOT_CA = Path.of("examples/certs/ca/root.pem");

    private static Process server;
    private static Path log;
    private static ConnectOverrides toServer;

    @BeforeAll
    static void startServe() throws Exception {
        Launcher.run("--version").assertSuccess();
        int port = freePort();
        log = Files.createTempFile("mxpolicy-serve", ".log");
        server = new ProcessBuilder(
                        Path.of("bin/mxpolicy").toAbsolutePath().toString(),
                        "serve",
                        "-c",
                        "examples/provider.yaml",
                        "--listen",
                        "127.0.0.1:" + port,
                        "--admin",
                        "127.0.0.1:" + freePort())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        toServer = ConnectOverrides.parse(
                List.of("mta-sts.example.com:443=127.0.0.1:" + port, "mta-sts.example.net:443=127.0.0.1:" + port));
        awaitServing();
    }

    @AfterAll
    static void stopServe() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (log != null) {
            Files.deleteIfExists(log);
        }
    }

    private static List<X509Certificate> testCa() throws Exception {
        try (InputStream in = Files.newInputStream(ROOT_CA)) {
            return HttpsPolicyFetch.readCaBundle(in, ROOT_CA.toString());
        }
    }

    private static HttpsPolicyFetch trustingTestCa() throws Exception {
        return HttpsPolicyFetch.trusting(testCa(), Duration.ofSeconds(10), toServer);
    }

    /** The policy file of a domain as {@code mxpolicy policy} prints it from the same config. */
    private static byte[] configuredPolicy(String domain) {
        return Launcher.run("policy", "-c", "examples/provider.yaml", "-d", domain)
                .assertSuccess()
                .stdout()
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSenderTrustingTheTestCaAcceptsTheConfiguredPolicyOfEachDomain() throws Exception {
        HttpsPolicyFetch fetch = trustingTestCa();

        PolicyObservation com = fetch.fetch("example.com", List.of());
        PolicyObservation net = fetch.fetch("example.net", List.of());

        assertThat(com.problem()).as(serveLog()).isEmpty();
        assertThat(com.status()).contains(200);
        assertThat(com.contentType()).get().asString().startsWith("text/plain");
        assertThat(com.body()).isEqualTo(configuredPolicy("example.com"));
        // What examples/provider.yaml says for example.com.
        assertThat(MtaStsPolicyParser.parse(com.body(), "fetched").policy())
                .contains(new MtaStsPolicy(MtaStsMode.ENFORCE, List.of("mx1.example.com", "mx2.example.com"), 604800));

        assertThat(net.problem()).as(serveLog()).isEmpty();
        assertThat(net.body()).isEqualTo(configuredPolicy("example.net"));
        assertThat(MtaStsPolicyParser.parse(net.body(), "fetched").policy())
                .contains(new MtaStsPolicy(MtaStsMode.TESTING, List.of("*.example.com"), 86400));
    }

    @Test
    void aSenderTrustingAnotherCaRefusesThePolicy() throws Exception {
        HttpsPolicyFetch fetch = HttpsPolicyFetch.trusting(
                List.of(InMemoryPki.rootCa("Unrelated CA").certificate()), Duration.ofSeconds(10), toServer);

        PolicyObservation seen = fetch.fetch("example.com", List.of());

        assertThat(seen.accepted()).isFalse();
        assertThat(seen.problem())
                .get()
                .asString()
                .startsWith("certificate of mta-sts.example.com does not chain to a trusted CA: ");
        assertThat(seen.status()).isEmpty();
    }

    @Test
    void theJavaDefaultTrustStoreDoesNotTrustTheTestCa() {
        PolicyObservation seen = HttpsPolicyFetch.withDefaultTrust(Duration.ofSeconds(10), toServer)
                .fetch("example.com", List.of());

        assertThat(seen.problem())
                .get()
                .asString()
                .startsWith("certificate of mta-sts.example.com does not chain to a trusted CA: ");
    }

    private static void awaitServing() throws Exception {
        HttpsPolicyFetch fetch = trustingTestCa();
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        PolicyObservation last = null;
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("mxpolicy serve exited with " + server.exitValue() + "; its log:\n" + serveLog());
            }
            last = fetch.fetch("example.com", List.of());
            if (last.status().isPresent()) {
                return;
            }
            Thread.sleep(200);
        }
        fail("mxpolicy serve did not answer within " + STARTUP_LIMIT.toSeconds() + " s ("
                + last.problem().orElse("") + "); its log:\n" + serveLog());
    }

    private static String serveLog() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
