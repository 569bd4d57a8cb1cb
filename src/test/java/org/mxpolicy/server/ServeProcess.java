package org.mxpolicy.server;

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
import java.util.concurrent.TimeUnit;

/**
 * {@code mxpolicy serve} run as users run it, through the packaged launcher, on free loopback
 * ports; its output goes to a log file. Closing it kills what is left of it.
 */
final class ServeProcess implements AutoCloseable {

    static final Duration STARTUP_LIMIT = Duration.ofSeconds(30);
    static final Duration STOP_LIMIT = Duration.ofSeconds(20);

    final Process process;
    final int port;
    final int adminPort;
    final Path log;
    private final Thread killer;

    private ServeProcess(Process process, int port, int adminPort, Path log) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.log = log;
        this.killer = new Thread(process::destroyForcibly, "kill mxpolicy serve");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** Starts the server with {@code config} (and more options) and waits until its health check answers. */
    static ServeProcess start(Path config, Path log, String... options) throws IOException, InterruptedException {
        if (!Files.isRegularFile(Path.of("target/mxpolicy.jar"))) {
            throw new AssertionError(
                    "target/mxpolicy.jar is missing: interop tests run after 'package' (./mvnw verify)");
        }
        int port = freePort();
        int adminPort = freePort();
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of("bin/mxpolicy").toAbsolutePath().toString(),
                "serve",
                "-c",
                config.toString(),
                "--listen",
                "127.0.0.1:" + port,
                "--admin",
                "127.0.0.1:" + adminPort));
        command.addAll(java.util.List.of(options));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServeProcess serve = new ServeProcess(process, port, adminPort, log);
        try {
            serve.awaitHealthy();
        } catch (AssertionError | IOException | InterruptedException e) {
            serve.close();
            throw e;
        }
        return serve;
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** The admin listener's /metrics. */
    String metrics() throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + PolicyServer.METRICS_PATH))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** Sends SIGTERM and waits for the exit; returns the exit code. */
    int stop() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            fail("mxpolicy serve did not stop within " + STOP_LIMIT.toSeconds() + " s of SIGTERM; its log:\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/healthz"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("mxpolicy serve exited with " + process.exitValue() + " before answering; its log:\n" + log());
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
                + "); its log:\n" + log());
    }

    /** A TCP port free on 127.0.0.1 at the time of asking. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
