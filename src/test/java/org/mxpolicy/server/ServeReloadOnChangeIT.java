package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.testing.ExternalTool;

/**
 * {@code mxpolicy serve} picks up a renewed certificate from disk, laid out and replaced the way
 * certbot does it, while clients keep asking: the JDK HttpClient on one kept-alive connection,
 * and curl on a new connection for every request. No request may fail, the new certificate must
 * be served afterwards, and a corrupt replacement must leave the last good one in service.
 */
class ServeReloadOnChangeIT {

    private static final String HOST = "mta-sts.example.com";
    private static final String PATH = "/.well-known/mta-sts.txt";
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void aCertificateReplacedOnDiskIsServedWithoutAFailedRequestAndACorruptOneIsRefused(@TempDir Path dir)
            throws Exception {
        ExternalTool curl = ExternalTool.require("curl");
        InMemoryPki.Issuer ca = InMemoryPki.rootCa("mxpolicy reload test CA");
        Path caFile = Files.writeString(dir.resolve("ca.pem"), InMemoryPki.pem(ca.certificate()));
        Path archive = Files.createDirectories(dir.resolve("archive").resolve(HOST));
        Path live = Files.createDirectories(dir.resolve("live").resolve(HOST));
        BigInteger first = issue(ca, archive, 1);
        Path cert = Files.createSymbolicLink(live.resolve("fullchain.pem"), relative(archive, "fullchain1.pem"));
        Path key = Files.createSymbolicLink(live.resolve("privkey.pem"), relative(archive, "privkey1.pem"));
        Path config = Files.writeString(dir.resolve("provider.yaml"), """
                zones:
                  example.com: {}
                domains:
                  - name: example.com
                    mx:
                      - host: mx1.example.com
                        cert: %s
                    mta_sts:
                      mode: enforce
                      mx: [mx1.example.com]
                      cert: live/%2$s/fullchain.pem
                      key: live/%2$s/privkey.pem
                """.formatted(
                        Path.of("examples/certs/mx1.example.com/fullchain.pem").toAbsolutePath(), HOST));

        try (ServeProcess server = ServeProcess.start(config, dir.resolve("serve.log"));
                ConnectProxy proxy = new ConnectProxy(server.port)) {
            String url = "https://" + HOST + ":" + server.port + PATH;
            SSLContext trust = trusting(ca.certificate());
            Clients clients = new Clients(curl, caFile, url, server.port, trust, proxy);
            clients.start();
            try {
                await(
                        "both clients were served",
                        () -> clients.jdkServed.get() >= 3 && clients.curlServed.get() >= 3,
                        server);
                assertThat(clients.curlSerial.get()).isEqualTo(first);
                assertThat(clients.jdkSerial.get()).isEqualTo(first);

                // certbot: new files in archive/, then the live/ links swapped one after the other
                BigInteger second = issue(ca, archive, 2);
                swapLink(cert, relative(archive, "fullchain2.pem"));
                swapLink(key, relative(archive, "privkey2.pem"));

                await("curl sees the new certificate", () -> second.equals(clients.curlSerial.get()), server);
                int servedAfterSwap = clients.jdkServed.get() + clients.curlServed.get();
                await(
                        "more requests after the reload",
                        () -> clients.jdkServed.get() + clients.curlServed.get() >= servedAfterSwap + 6,
                        server);
                assertThat(server.log()).contains("mxpolicy: reloaded");
                assertThat(server.metrics())
                        .containsPattern("mxpolicy_reloads_total\\{result=\"success\"} [1-9]")
                        .contains("mxpolicy_reloads_total{result=\"failure\"} 0")
                        .contains("mxpolicy_last_reload_success 1");
                assertThat(serialSeenByNewJdkClient(url, trust, proxy)).isEqualTo(second);

                // a corrupt renewal: reported, and the last good certificate stays in service
                Files.writeString(
                        archive.resolve("fullchain3.pem"),
                        "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
                swapLink(cert, relative(archive, "fullchain3.pem"));
                await("the failed reload is reported", () -> logOf(server).contains("reload failed"), server);
                assertThat(server.log().lines().filter(l -> l.contains("error:") && l.contains("fullchain.pem")))
                        .as(server.log())
                        .hasSize(1);
                assertThat(server.metrics())
                        .contains("mxpolicy_reloads_total{result=\"failure\"} 1")
                        .contains("mxpolicy_last_reload_success 0");
                int servedAfterCorruption = clients.curlServed.get();
                await("curl is still served", () -> clients.curlServed.get() >= servedAfterCorruption + 3, server);
                assertThat(clients.curlSerial.get()).isEqualTo(second);
                assertThat(serialSeenByNewJdkClient(url, trust, proxy)).isEqualTo(second);
            } finally {
                clients.stop();
            }

            assertThat(clients.failures).as("failed requests").isEmpty();
            assertThat(proxy.tunnels() - freshConnections)
                    .as("connections of the kept-alive JDK client: none was dropped")
                    .isEqualTo(1);
            assertThat(server.stop()).isZero();
        }
    }

    /** Loops of requests until stopped; every failure is kept. */
    private static final class Clients {
        final AtomicInteger jdkServed = new AtomicInteger();
        final AtomicInteger curlServed = new AtomicInteger();
        final AtomicReference<BigInteger> jdkSerial = new AtomicReference<>();
        final AtomicReference<BigInteger> curlSerial = new AtomicReference<>();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread jdk;
        private final Thread curlLoop;

        Clients(ExternalTool curl, Path caFile, String url, int port, SSLContext trust, ConnectProxy proxy) {
            HttpClient http = HttpClient.newBuilder()
                    .sslContext(trust)
                    .proxy(ProxySelector.of(proxy.address()))
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(20))
                    .build();
            jdk = new Thread(
                    () -> {
                        while (running.get()) {
                            try {
                                HttpResponse<String> response =
                                        http.send(request, HttpResponse.BodyHandlers.ofString());
                                if (response.statusCode() != 200
                                        || !response.body().startsWith("version: STSv1")) {
                                    failures.add("JDK: status " + response.statusCode() + ": " + response.body());
                                } else {
                                    jdkSerial.set(((X509Certificate) response.sslSession()
                                                    .orElseThrow()
                                                    .getPeerCertificates()[0])
                                            .getSerialNumber());
                                    jdkServed.incrementAndGet();
                                }
                            } catch (Exception e) {
                                failures.add("JDK: " + e);
                            }
                            pause();
                        }
                    },
                    "jdk-client");
            List<String> args = List.of(
                    "-sS",
                    "--max-time",
                    "20",
                    "--cacert",
                    caFile.toString(),
                    "--resolve",
                    HOST + ":" + port + ":127.0.0.1",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code}\\n%{certs}",
                    url);
            curlLoop = new Thread(
                    () -> {
                        while (running.get()) {
                            ExternalTool.Result result = curl.run(args.toArray(String[]::new));
                            if (result.exitCode() != 0 || !result.stdout().startsWith("200")) {
                                failures.add(
                                        "curl: exit " + result.exitCode() + ": " + result.stdout() + result.stderr());
                            } else {
                                curlSerial.set(leafSerial(result.stdout()));
                                curlServed.incrementAndGet();
                            }
                            pause();
                        }
                    },
                    "curl-client");
        }

        /** Leaves the two cores some room for the server; how long does not matter. */
        private static void pause() {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void start() {
            jdk.start();
            curlLoop.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            jdk.join(BOUND.toMillis());
            curlLoop.join(BOUND.toMillis());
        }
    }

    /** The serial of the first certificate in curl's {@code %{certs}} output (the leaf). */
    private static BigInteger leafSerial(String curlOutput) {
        Matcher serial =
                Pattern.compile("(?m)^Serial Number:\\s*([0-9A-Fa-f:]+)").matcher(curlOutput);
        if (!serial.find()) {
            throw new AssertionError("no serial number in curl's certificate output:\n" + curlOutput);
        }
        return new BigInteger(serial.group(1).replace(":", "").toLowerCase(Locale.ROOT), 16);
    }

    /** A fresh client, so a new connection and handshake: the serial the server presents now. */
    private BigInteger serialSeenByNewJdkClient(String url, SSLContext trust, ConnectProxy proxy) throws Exception {
        HttpClient fresh = HttpClient.newBuilder()
                .sslContext(trust)
                .proxy(ProxySelector.of(proxy.address()))
                .build();
        HttpResponse<String> response =
                fresh.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        freshConnections++;
        return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    }

    /** Connections opened by {@link #serialSeenByNewJdkClient}, besides the looping client's one. */
    private int freshConnections;

    /** A leaf for {@link #HOST}, valid now, as archive/fullchainN.pem and archive/privkeyN.pem. */
    private static BigInteger issue(InMemoryPki.Issuer ca, Path archive, int n) throws Exception {
        KeyPair key = InMemoryPki.ec("secp256r1");
        Instant now = Instant.now();
        X509Certificate leaf = InMemoryPki.certificate(
                key,
                HOST,
                ca.cn(),
                ca.key().getPrivate(),
                false,
                now.minus(1, ChronoUnit.DAYS),
                now.plus(30, ChronoUnit.DAYS),
                HOST);
        Files.writeString(archive.resolve("fullchain" + n + ".pem"), InMemoryPki.pem(List.of(leaf, ca.certificate())));
        Files.writeString(
                archive.resolve("privkey" + n + ".pem"),
                InMemoryPki.pem("PRIVATE KEY", key.getPrivate().getEncoded()));
        return leaf.getSerialNumber();
    }

    private static Path relative(Path archive, String file) {
        return Path.of("../../archive").resolve(archive.getFileName()).resolve(file);
    }

    /** What certbot does: a new link under a temporary name, renamed over the old one. */
    private static void swapLink(Path link, Path target) throws Exception {
        Path temporary = link.resolveSibling(link.getFileName() + ".new");
        Files.createSymbolicLink(temporary, target);
        Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static SSLContext trusting(X509Certificate root) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static String logOf(ServeProcess server) {
        try {
            return server.log();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Polls until the condition holds; fails with the server's log after {@link #BOUND}. */
    private static void await(String what, BooleanSupplier condition, ServeProcess server) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "not within " + BOUND.toSeconds() + " s: " + what + "; server log:\n" + server.log());
            }
            Thread.sleep(100);
        }
    }
}
