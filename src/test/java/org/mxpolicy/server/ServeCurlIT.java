package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.Launcher;

/**
 * {@code mxpolicy serve} as users run it (the packaged launcher, the example config), asked by
 * curl, which uses OpenSSL (or whichever TLS library it is built with) rather than the JDK.
 */
class ServeCurlIT {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(30);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(20);
    private static final String HOST = "mta-sts.example.com";
    private static final String PATH = "/.well-known/mta-sts.txt";

    @Test
    void curlFetchesThePolicyOverTls12And13AndTheServerStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        ExternalTool curl = ExternalTool.require("curl");
        Path expected = dir.resolve("expected.txt");
        Launcher.run("policy", "-c", "examples/provider.yaml", "-d", "example.com", "-o", expected.toString())
                .assertSuccess();

        int port = freePort();
        int adminPort = freePort();
        Path log = dir.resolve("serve.log");
        Process server = new ProcessBuilder(Path.of("bin/mxpolicy").toAbsolutePath().toString(), "serve",
                "-c", "examples/provider.yaml", "--listen", "127.0.0.1:" + port, "--admin", "127.0.0.1:" + adminPort)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Thread killer = new Thread(server::destroyForcibly, "kill mxpolicy serve");
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            awaitHealthy(server, adminPort, log);
            String url = "https://" + HOST + ":" + port + PATH;
            List<String> common = List.of("-sS", "--max-time", "20", "--cacert", "examples/certs/ca/root.pem",
                    "--resolve", HOST + ":" + port + ":127.0.0.1");

            Path fetched = dir.resolve("fetched.txt");
            curl.run(args(common, "-o", fetched.toString(), url)).assertSuccess();
            assertThat(Files.readAllBytes(fetched)).isEqualTo(Files.readAllBytes(expected));

            Path fetched12 = dir.resolve("fetched12.txt");
            curl.run(args(common, "--tlsv1.2", "--tls-max", "1.2", "--ciphers", "ECDHE-ECDSA-AES128-GCM-SHA256",
                    "-o", fetched12.toString(), url)).assertSuccess();
            assertThat(Files.readAllBytes(fetched12)).isEqualTo(Files.readAllBytes(expected));

            ExternalTool.Result cbc = curl.run(args(common, "--tlsv1.2", "--tls-max", "1.2", "--ciphers",
                    "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256",
                    "-o", dir.resolve("cbc.txt").toString(), url));
            assertThat(cbc.exitCode()).as("curl with CBC suites only: %s", cbc.stderr()).isNotZero();

            ExternalTool.Result post = curl.run(args(common, "-X", "POST", "-o", "/dev/null", "-w", "%{http_code}", url));
            assertThat(post.stdout()).as(post.stderr()).isEqualTo("405");

            ExternalTool.Result head = curl.run(args(common, "-I", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
                    url));
            assertThat(head.stdout().strip()).isEqualTo("200");

            server.destroy(); // SIGTERM
            if (!server.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                fail("mxpolicy serve did not stop within " + STOP_LIMIT.toSeconds() + " s of SIGTERM; its log:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            assertThat(server.exitValue()).as(Files.readString(log, StandardCharsets.UTF_8)).isZero();
            assertThat(Files.readString(log, StandardCharsets.UTF_8))
                    .contains("serving mta-sts.example.com, mta-sts.example.net")
                    .contains("\"GET " + PATH + " HTTP/1.1\" 200");
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    @Test
    void sighupReloadsConfigAndCertificatesWithoutRestart(@TempDir Path dir) throws Exception {
        ExternalTool curl = ExternalTool.require("curl");
        Path certs = Path.of("examples/certs").toAbsolutePath();
        Path config = dir.resolve("provider.yaml");
        Files.writeString(config, reloadConfig(certs, false), StandardCharsets.UTF_8);

        int port = freePort();
        int adminPort = freePort();
        Path log = dir.resolve("serve.log");
        Process server = new ProcessBuilder(Path.of("bin/mxpolicy").toAbsolutePath().toString(), "serve",
                "-c", config.toString(), "--listen", "127.0.0.1:" + port, "--admin", "127.0.0.1:" + adminPort)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Thread killer = new Thread(server::destroyForcibly, "kill mxpolicy serve");
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            awaitHealthy(server, adminPort, log);
            String net = "mta-sts.example.net";
            String[] fetchNet = args(List.of("-sS", "--max-time", "20", "--cacert", "examples/certs/ca/root.pem",
                    "--resolve", net + ":" + port + ":127.0.0.1"), "https://" + net + ":" + port + PATH);
            assertThat(curl.run(fetchNet).exitCode()).as("%s is not served before the reload", net).isNotZero();

            Files.writeString(config, reloadConfig(certs, true), StandardCharsets.UTF_8);
            ExternalTool.require("kill").run("-HUP", String.valueOf(server.pid())).assertSuccess();

            long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
            ExternalTool.Result fetched = curl.run(fetchNet);
            while (fetched.exitCode() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                fetched = curl.run(fetchNet);
            }
            assertThat(fetched.exitCode()).as("after SIGHUP: %s; log:%n%s", fetched.stderr(),
                    Files.readString(log, StandardCharsets.UTF_8)).isZero();
            assertThat(fetched.stdout()).contains("mode: testing\r\n");
            assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("mxpolicy: reloaded");

            server.destroy();
            assertThat(server.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isZero();
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /** A config with example.com's policy host, and with {@code withNet} example.net's too. */
    private static String reloadConfig(Path certs, boolean withNet) {
        String domain = """
                  - name: example.%1$s
                    mx:
                      - host: mx1.example.com
                        cert: %2$s/mx1.example.com/fullchain.pem
                    mta_sts:
                      mode: %3$s
                      mx: ["*.example.com"]
                      cert: %2$s/mta-sts.example.%1$s/fullchain.pem
                      key: %2$s/mta-sts.example.%1$s/privkey.pem
                """;
        return "zones:\n  example.com: {}\n  example.net: {}\ndomains:\n" + domain.formatted("com", certs, "enforce")
                + (withNet ? domain.formatted("net", certs, "testing") : "");
    }

    private static String[] args(List<String> common, String... more) {
        List<String> all = new ArrayList<>(common);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static void awaitHealthy(Process server, int adminPort, Path log) throws IOException, InterruptedException {
        if (!Files.isRegularFile(Path.of("target/mxpolicy.jar"))) {
            throw new AssertionError("target/mxpolicy.jar is missing: interop tests run after 'package' (./mvnw verify)");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthz"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("mxpolicy serve exited with " + server.exitValue() + " before answering; its log:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "status " + response.statusCode();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        fail("mxpolicy serve did not answer /healthz within " + STARTUP_LIMIT.toSeconds() + " s (" + last
                + "); its log:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }

    /** A TCP port free on 127.0.0.1 at the time of asking. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
