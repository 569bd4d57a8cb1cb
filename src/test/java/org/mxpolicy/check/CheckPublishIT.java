package org.mxpolicy.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.testing.Cli;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.KnotServer;
import org.mxpolicy.testing.LabFiles;
import org.mxpolicy.testing.PostfixServer;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@code publish} and {@code check} against real servers on loopback: Knot DNS signing the zone
 * and accepting TSIG-signed RFC 2136 updates, Postfix as the MX presenting its certificate after
 * STARTTLS, and {@code mxpolicy serve} as the MTA-STS policy host. The steps build on each other
 * (publish, then check), so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CheckPublishIT {

    private static final Name ZONE = Name.fromConstantString("example.test.");
    private static final Name TSIG_NAME = Name.fromConstantString("mxpolicy-update.");
    private static final Name TLSA_OWNER = Name.fromConstantString("_25._tcp.mx1.example.test.");
    private static final InMemoryPki.Issuer ROOT = InMemoryPki.rootCa("Lab Root");
    private static final InMemoryPki.Issuer CA = InMemoryPki.intermediateCa("Lab CA", ROOT);
    private static final InMemoryPki.Issuer OTHER_CA = InMemoryPki.intermediateCa("Other Lab CA", ROOT);

    @TempDir
    static Path dir;

    private static KnotServer knot;
    private static PostfixServer postfix;
    private static Process serve;
    private static int servePort;
    private static String secret;

    @BeforeAll
    static void lab() throws Exception {
        secret = Base64.getEncoder()
                .encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(dir.resolve("example.test.zone"), """
                $ORIGIN example.test.
                $TTL 300
                @        IN SOA ns1 hostmaster 1 3600 600 86400 300
                @        IN NS  ns1
                @        IN MX  10 mx1
                ns1      IN A   127.0.0.1
                mx1      IN A   127.0.0.1
                mta-sts  IN A   127.0.0.1
                """);
        knot = KnotServer.signing(dir, ZONE, dir.resolve("example.test.zone"), TSIG_NAME, secret);
        tsigFile("update.tsig", secret);
        tsigFile("wrong.tsig", Base64.getEncoder().encodeToString(new byte[32]));

        writeServer("mx1", "mx1.example.test", CA);
        writeServer("mta-sts", "mta-sts.example.test", CA);
        writeServer("mx1-other", "mx1.example.test", OTHER_CA);
        Files.writeString(
                dir.resolve("next.key"),
                InMemoryPki.pem(
                        "PUBLIC KEY", InMemoryPki.ec("secp256r1").getPublic().getEncoded()));
        Files.writeString(dir.resolve("ca.pem"), InMemoryPki.pem(ROOT.certificate()));
        String ds = knot.ds(ZONE).get(0).toString();
        config("provider.yaml", "enforce", ds, "update.tsig");
        config("wrong-key.yaml", "enforce", ds, "wrong.tsig");
        config("served-testing.yaml", "testing", ds, "update.tsig");

        postfix = PostfixServer.builder("mx1.example.test")
                .certificate(dir.resolve("mx1.key"), dir.resolve("mx1.pem"))
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        stopServe();
        if (postfix != null) {
            postfix.close();
        }
        if (knot != null) {
            knot.close();
        }
    }

    @Test
    @Order(1)
    void aDryRunPrintsThePlanAndChangesNothing() throws Exception {
        Cli.Run run = Cli.run("publish", "-c", path("provider.yaml"), "--connect", mxTarget());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout())
                .contains(
                        "CREATE _25._tcp.mx1.example.test. TLSA",
                        "CREATE _mta-sts.example.test. TXT",
                        "CREATE _smtp._tls.example.test. TXT");
        assertThat(run.stderr()).contains("dry run");
        assertThat(served(TLSA_OWNER, Type.TLSA)).isEmpty();
    }

    @Test
    @Order(2)
    void aWrongTsigKeyIsRefusedWithAClearError() {
        Cli.Run run = Cli.run("publish", "-c", path("wrong-key.yaml"), "--apply", "--connect", mxTarget());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("[publish.not-authorized]").contains("TSIG key");
        assertThat(run.stderr()).doesNotContain("Exception");
    }

    @Test
    @Order(3)
    void applyLandsTheRecordsAndWaitsUntilTheyValidate() throws Exception {
        Cli.Run run =
                Cli.run("publish", "-c", path("provider.yaml"), "--apply", "--wait", "60s", "--connect", mxTarget());

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stderr()).contains("served by every authoritative server and validated");
        List<Record> tlsa = served(TLSA_OWNER, Type.TLSA);
        assertThat(tlsa).hasSize(3); // the live key, the next key, the issuing CA
        assertThat(tlsa.get(0).getTTL()).isEqualTo(600);
    }

    @Test
    @Order(4)
    void aSecondRunPlansNothing() {
        Cli.Run run = Cli.run("publish", "-c", path("provider.yaml"), "--connect", mxTarget());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout())
                .contains("zone example.test.: no changes")
                .doesNotContain("CREATE", "CHANGE", "DELETE");
    }

    @Test
    @Order(5)
    void checkIsOkWhenEverythingMatches() throws Exception {
        startServe("provider.yaml");

        Cli.Run run = check("provider.yaml");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stdout())
                .contains("dane.verified", "mta-sts.ok", "plan.in-sync", "tlsrpt.ok")
                .contains("mxpolicy check: OK");
    }

    @Test
    @Order(6)
    void expiringSignaturesWarnThenGoCritical() {
        // Knot signs for two days here; seen from thresholds above that, the real signatures are close to expiry.
        Cli.Run warning = check("provider.yaml", "--rrsig-warning", "30d", "--rrsig-critical", "1d");
        assertThat(warning.exitCode()).as(warning.stdout()).isEqualTo(1);
        assertThat(warning.stdout()).contains("WARNING").contains("[dnssec.rrsig-expiry]");

        Cli.Run critical = check("provider.yaml", "--rrsig-warning", "40d", "--rrsig-critical", "3d");
        assertThat(critical.exitCode()).as(critical.stdout()).isEqualTo(2);
        assertThat(critical.stdout()).contains("CRITICAL").contains("[dnssec.rrsig-expiry]");
    }

    @Test
    @Order(7)
    void aPolicyServedWithAChangedBodyUnderTheOldIdIsCritical() throws Exception {
        // serve yields the testing-mode policy; the DNS still carries the id of the enforce one
        stopServe();
        startServe("served-testing.yaml");
        try {
            Cli.Run run = check("provider.yaml");

            assertThat(run.exitCode()).as(run.stdout()).isEqualTo(2);
            assertThat(run.stdout()).contains("[mta-sts.id-not-changed]");
        } finally {
            stopServe();
            startServe("provider.yaml");
        }
    }

    @Test
    @Order(8)
    void jsonAndPrometheusCarryTheSameVerdict() throws Exception {
        Cli.Run json = check("provider.yaml", "--format", "json");
        assertThat(json.exitCode()).as(json.stdout()).isZero();
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.stdout());
        assertThat(tree.get("status").asText()).isEqualTo("OK");
        assertThat(tree.get("plans").get(0).get("changes")).isEmpty();

        Path prom = dir.resolve("mxpolicy.prom");
        Cli.Run prometheus = check("provider.yaml", "--format", "prometheus", "-o", prom.toString());
        assertThat(prometheus.exitCode()).isZero();
        assertThat(Files.readString(prom))
                .contains("mxpolicy_check_status 0\n")
                .containsPattern(
                        "mxpolicy_certificate_expiry_timestamp_seconds\\{host=\"mx1.example.test\",source=\"live 127.0.0.1:[0-9]+\"\\} [0-9]+");
    }

    @Test
    @Order(9)
    void aCertificateWithAnUnpublishedKeyIsCritical() throws Exception {
        postfix.replaceCertificate(dir.resolve("mx1-other.key"), dir.resolve("mx1-other.pem"));
        try {
            Cli.Run run = check("provider.yaml");

            assertThat(run.exitCode()).as(run.stdout()).isEqualTo(2);
            assertThat(run.stdout()).contains("[dane.live-unmatched]").contains("[cert.live-differs]");
        } finally {
            postfix.replaceCertificate(dir.resolve("mx1.key"), dir.resolve("mx1.pem"));
        }
    }

    @Test
    @Order(10)
    void noStarttlsIsCritical() throws Exception {
        try (PostfixServer plain =
                PostfixServer.builder("mx1.example.test").starttls(false).start()) {
            Cli.Run run = Cli.run(
                    "check",
                    "-c",
                    path("provider.yaml"),
                    "--ca-file",
                    path("ca.pem"),
                    "--connect",
                    "mx1.example.test:25=127.0.0.1:" + plain.port(),
                    "--connect",
                    "mta-sts.example.test:443=127.0.0.1:" + servePort);

            assertThat(run.exitCode()).as(run.stdout()).isEqualTo(2);
            assertThat(run.stdout()).contains("[smtp.starttls]").contains("TR-03108-03-M");
        }
    }

    // ------------------------------------------------------------------ lab

    private static Cli.Run check(String config, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "check",
                "-c",
                path(config),
                "--ca-file",
                path("ca.pem"),
                "--connect",
                mxTarget(),
                "--connect",
                "mta-sts.example.test:443=127.0.0.1:" + servePort));
        args.addAll(List.of(more));
        if (!args.contains("--rrsig-warning")) {
            // the lab's Knot signs for two days only, so that expiry can be shown without waiting
            args.addAll(List.of("--rrsig-warning", "1h", "--rrsig-critical", "10m"));
        }
        return Cli.run(args.toArray(String[]::new));
    }

    private static String mxTarget() {
        return "mx1.example.test:25=127.0.0.1:" + postfix.port();
    }

    private static String path(String name) {
        return dir.resolve(name).toString();
    }

    private static List<Record> served(Name name, int type) throws IOException {
        Message response = knot.resolver().send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        return response.getSection(Section.ANSWER).stream()
                .filter(r -> r.getType() == type)
                .toList();
    }

    private static void tsigFile(String name, String key) throws IOException {
        LabFiles.tsigKey(dir.resolve(name), TSIG_NAME, key);
    }

    private static void writeServer(String base, String host, InMemoryPki.Issuer ca) throws IOException {
        LabFiles.serverKeyAndChain(dir, base, host, ca);
    }

    private static void config(String name, String mode, String ds, String keyFile) throws IOException {
        Files.writeString(dir.resolve(name), """
                zones:
                  example.test:
                    ttl: 300
                    nameservers: [ "127.0.0.1:%1$d" ]
                    update: { server: "127.0.0.1:%1$d", key: %4$s }
                dns:
                  resolvers: [ "127.0.0.1:%1$d" ]
                  trust_anchors: [ "%2$s" ]
                domains:
                  - name: example.test
                    mx:
                      - host: mx1.example.test
                        cert: mx1.pem
                        next_key: next.key
                    mta_sts:
                      mode: %3$s
                      mx: [ mx1.example.test ]
                      cert: mta-sts.pem
                      key: mta-sts.key
                    tls_rpt: { rua: "mailto:tlsrpt@example.test" }
                """.formatted(knot.port(), ds, mode, keyFile));
    }

    private static void startServe(String config) throws Exception {
        servePort = freePort();
        int admin = freePort();
        ExternalTool.require("curl");
        serve = new ProcessBuilder(
                        Path.of("bin/mxpolicy").toAbsolutePath().toString(),
                        "serve",
                        "-c",
                        path(config),
                        "--listen",
                        "127.0.0.1:" + servePort,
                        "--admin",
                        "127.0.0.1:" + admin)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("serve-" + servePort + ".log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", admin)) {
                return;
            } catch (IOException notYet) {
                if (!serve.isAlive()) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError(
                "mxpolicy serve did not start: " + Files.readString(dir.resolve("serve-" + servePort + ".log")));
    }

    private static void stopServe() throws InterruptedException {
        if (serve != null && serve.isAlive()) {
            serve.destroy();
            serve.waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
