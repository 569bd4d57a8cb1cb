package org.mxpolicy.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.BackgroundProcess;
import org.mxpolicy.testing.BoundedPoll;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.PostfixServer;
import org.mxpolicy.tls.TlsRuleSet;

/**
 * The scanner against real servers on loopback, each also scanned by testssl.sh: the protocol
 * versions, the cipher suites (by IANA name), the server's first choice per version and the
 * elliptic-curve groups must be the same sets, case by case. testssl.sh runs once per server,
 * with only the checks compared ({@code -p -e -P -f}, plus {@code -S} for the key size).
 *
 * <ul>
 *   <li>Postfix within the profile: TLS 1.2 and 1.3, ECDHE with AES-GCM, P-256 and P-384, its
 *       own order;
 *   <li>Postfix with TLS 1.0 and CBC-SHA1 preferred, and an RSA 2048 certificate;
 *   <li>{@code openssl s_server} with implicit TLS, only X25519 and only ChaCha20-Poly1305;
 *   <li>{@code openssl s_server} with an RSA 1024 certificate;
 *   <li>Dovecot through IMAP STARTTLS and implicit TLS.
 * </ul>
 */
class TlsScannerIT {

    private static final Duration TESTSSL_LIMIT = Duration.ofMinutes(5);
    private static final TlsRuleSet RULES =
            TlsRuleSet.inForceAt(LocalDate.of(2026, 1, 1)).orElseThrow();
    private static final Path CERTS = Path.of("examples/certs");
    /** testssl.sh's (OpenSSL's) names of curves, where they differ from the IANA names. */
    private static final Map<String, String> CURVE_NAMES = Map.of("prime256v1", "secp256r1");

    private static TlsScanner scanner;

    @BeforeAll
    static void scanner() {
        ExternalTool.require("testssl");
        ExternalTool.require("openssl");
        scanner = new TlsScanner(Duration.ofSeconds(10), new AddressLimit(2), "scanner.example.test");
    }

    @AfterAll
    static void close() {
        if (scanner != null) {
            scanner.close();
        }
    }

    @Test
    void postfixWithinTheProfile(@TempDir Path dir) throws Exception {
        Path openssl = dir.resolve("openssl.cnf");
        // Postfix has no setting for the TLS 1.3 suites and the signature schemes; OpenSSL's
        // configuration has.
        Files.writeString(
                openssl,
                "mxpolicy = mxpolicy_settings\n[mxpolicy_settings]\nssl_conf = ssl_section\n"
                        + "[ssl_section]\nsystem_default = tls_defaults\n[tls_defaults]\n"
                        + "Ciphersuites = TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256\n"
                        + "SignatureAlgorithms = ecdsa_secp256r1_sha256:ecdsa_secp384r1_sha384\n",
                StandardCharsets.UTF_8);
        try (PostfixServer postfix = PostfixServer.builder("mx1.example.com")
                .certificate(
                        CERTS.resolve("mx1.example.com/privkey.pem"), CERTS.resolve("mx1.example.com/fullchain.pem"))
                .set("smtpd_tls_protocols", ">=TLSv1.2")
                .set("smtpd_tls_ciphers", "high")
                .set("tls_high_cipherlist", "ECDHE+AESGCM")
                .set("tls_preempt_cipherlist", "yes")
                .set("tls_eecdh_auto_curves", "prime256v1 secp384r1")
                .set("tls_config_file", openssl.toString())
                .set("tls_config_name", "mxpolicy")
                .start()) {
            TlsScan scan = scan(postfix.address(), TlsStart.SMTP);
            Testssl testssl = testssl(dir, postfix.address(), "smtp");

            assertAgree(scan, testssl);
            assertThat(scan.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
            assertThat(scan.version("TLSv1.2").orElseThrow().order()).isEqualTo(CipherOrder.SERVER);
            assertThat(scan.chain()).hasSize(2);
            assertThat(scan.chain().get(0).key()).isEqualTo("EC 256");
            List<RuleFinding> findings = TlsConformance.judge(scan, RULES, "03-M");
            assertThat(findings)
                    .as("%s", findings)
                    .allSatisfy(f -> assertThat(f.verdict()).as(f.toString()).isEqualTo(Verdict.PASS));
        }
    }

    @Test
    void postfixWithTls10AndCbcPreferred(@TempDir Path dir) throws Exception {
        try (PostfixServer postfix = PostfixServer.builder("mx2.example.com")
                .certificate(
                        CERTS.resolve("mx2.example.com/privkey.pem"), CERTS.resolve("mx2.example.com/fullchain.pem"))
                .set("smtpd_tls_protocols", ">=TLSv1")
                .set("smtpd_tls_ciphers", "high")
                // SECLEVEL=0: OpenSSL 3 refuses TLS 1.0 and 1.1 at any higher level.
                .set("tls_high_cipherlist", "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-GCM-SHA384:AES128-SHA:@SECLEVEL=0")
                .set("tls_preempt_cipherlist", "yes")
                .start()) {
            TlsScan scan = scan(postfix.address(), TlsStart.SMTP);
            Testssl testssl = testssl(dir, postfix.address(), "smtp");

            assertAgree(scan, testssl);
            assertThat(scan.protocols()).contains("TLSv1", "TLSv1.2");
            assertThat(scan.version("TLSv1.2").orElseThrow().firstChoice())
                    .isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
            List<RuleFinding> findings = TlsConformance.judge(scan, RULES, "03-M");
            assertThat(verdict(findings, "tls.priority")).isEqualTo(Verdict.FAIL);
            assertThat(verdict(findings, "tls.protocols")).isEqualTo(Verdict.WARN);
            assertThat(verdict(findings, "cert.key-size")).isEqualTo(Verdict.FAIL);
        }
    }

    @Test
    void implicitTlsWithOnlyX25519AndChaCha20(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        selfSigned("rsa:3072", key, cert);
        try (SServer server = sServer(
                dir,
                key,
                cert,
                "-groups",
                "X25519",
                "-ciphersuites",
                "TLS_CHACHA20_POLY1305_SHA256",
                "-cipher",
                "ECDHE-RSA-CHACHA20-POLY1305")) {
            InetSocketAddress address = server.address();
            TlsScan scan = scan(address, TlsStart.IMPLICIT);
            Testssl testssl = testssl(dir, address, null);

            assertAgree(scan, testssl);
            assertThat(scan.version("TLSv1.3").orElseThrow().groups()).containsExactly("x25519");
            List<RuleFinding> findings = TlsConformance.judge(scan, RULES, "01-M");
            assertThat(findings)
                    .filteredOn(f -> f.check().equals("tls.groups"))
                    .anySatisfy(f -> assertThat(f.evidence()).isEqualTo("TLSv1.3: x25519 outside the profile"));
            assertThat(findings)
                    .filteredOn(f -> f.check().equals("tls.suites"))
                    .anySatisfy(f -> assertThat(f.evidence())
                            .isEqualTo("TLSv1.3: TLS_CHACHA20_POLY1305_SHA256 outside the profile"));
            assertThat(verdict(findings, "tls.within-profile")).isEqualTo(Verdict.FAIL);
        }
    }

    @Test
    void anRsa1024Certificate(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        selfSigned("rsa:1024", key, cert);
        try (SServer server = sServer(dir, key, cert, "-cipher", "DEFAULT:@SECLEVEL=0")) {
            InetSocketAddress address = server.address();
            TlsScan scan = scan(address, TlsStart.IMPLICIT);
            Testssl testssl = testssl(dir, address, null, "-S");

            assertAgree(scan, testssl);
            assertThat(testssl.finding("cert_keySize")).startsWith("RSA 1024 bits");
            assertThat(scan.chain().get(0).key()).isEqualTo("RSA 1024");
            List<RuleFinding> findings = TlsConformance.judge(scan, RULES, "01-M");
            assertThat(verdict(findings, "cert.key-size")).isEqualTo(Verdict.FAIL);
        }
    }

    /**
     * Dovecot with IMAP STARTTLS (143) and IMAPS (993), each on a free port, and no DH parameters
     * ({@code ssl_dh}): both ways reach the same TLS settings, so the two scans must agree. Dovecot
     * prefers DHE suites after the first ECDHE one and then fails the handshake for want of
     * parameters; testssl.sh 3.0, offering its suites in bunches, stops there and misses every
     * TLS 1.2 suite after it. So the versions, the TLS 1.3 suites and the first choices are
     * compared with testssl.sh's {@code --starttls imap}; its TLS 1.2 suites must be among the
     * scan's, and every further suite of the scan must complete a handshake of {@code openssl
     * s_client} offering that suite alone. (Debian's dovecot-imapd has no POP3; POP3 STLS is
     * tested in StartTlsPreambleTest.)
     */
    @Test
    void dovecotThroughImapStarttlsAndImplicitTls(@TempDir Path dir) throws Exception {
        ExternalTool dovecot = ExternalTool.require("dovecot");
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        selfSigned("rsa:3072", key, cert);
        Files.writeString(dir.resolve("passwd"), "");
        Files.createDirectories(dir.resolve("run"));
        int imap = freePort();
        int imaps = freePort();
        Path conf = dir.resolve("dovecot.conf");
        Files.writeString(conf, """
                base_dir = %1$s/run
                state_dir = %1$s/run
                instance_name = mxpolicy-scan-%2$d
                log_path = /dev/stderr
                protocols = imap
                listen = 127.0.0.1
                service imap-login {
                  inet_listener imap {
                    port = %2$d
                  }
                  inet_listener imaps {
                    port = %3$d
                    ssl = yes
                  }
                }
                ssl = yes
                ssl_cert = <%4$s
                ssl_key = <%5$s
                ssl_min_protocol = TLSv1.2
                ssl_prefer_server_ciphers = yes
                passdb {
                  driver = passwd-file
                  args = %1$s/passwd
                }
                userdb {
                  driver = passwd-file
                  args = %1$s/passwd
                }
                """.formatted(dir, imap, imaps, cert, key));
        try (BackgroundProcess server = BackgroundProcess.start(
                "dovecot",
                List.of(dovecot.path(), "-F", "-c", conf.toString()),
                Map.of(),
                dir.resolve("dovecot.log"))) {
            for (int port : new int[] {imap, imaps}) {
                awaitListener(server, port);
            }
            TlsScan viaImap = scan(new InetSocketAddress(loopback(), imap), TlsStart.IMAP);
            TlsScan implicit = scan(new InetSocketAddress(loopback(), imaps), TlsStart.IMPLICIT);
            Testssl testssl = testssl(dir, new InetSocketAddress(loopback(), imap), "imap");

            assertThat(new TreeSet<>(viaImap.protocols())).isEqualTo(testssl.protocols());
            testssl.firstChoices()
                    .forEach((version, suite) -> assertThat(
                                    viaImap.version(version).orElseThrow().firstChoice())
                            .as("first choice in %s", version)
                            .isEqualTo(suite));
            Set<String> tls13 =
                    new TreeSet<>(viaImap.version("TLSv1.3").orElseThrow().suites());
            assertThat(testssl.suites().stream().filter(name -> !name.contains("_WITH_")))
                    .containsExactlyInAnyOrderElementsOf(tls13);
            List<String> tls12 = viaImap.version("TLSv1.2").orElseThrow().suites();
            assertThat(tls12)
                    .containsAll(testssl.suites().stream()
                            .filter(name -> name.contains("_WITH_"))
                            .toList());
            Map<String, String> openSsl = openSslNames();
            for (String suite : tls12) {
                if (!testssl.suites().contains(suite)) {
                    assertThat(acceptsAlone(new InetSocketAddress(loopback(), imaps), openSsl.get(suite)))
                            .as("openssl s_client offering only %s", suite)
                            .isTrue();
                }
            }
            assertThat(tls12).as("found beyond testssl.sh").contains("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
            assertThat(viaImap.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
            assertThat(implicit.versions()).isEqualTo(viaImap.versions());
            assertThat(implicit.chain()).isEqualTo(viaImap.chain());
            assertThat(implicit.chain().get(0).key()).isEqualTo("RSA 3072");
        }
    }

    /** The same versions, suites, first choices and curves as testssl.sh found. */
    private static void assertAgree(TlsScan scan, Testssl testssl) {
        assertThat(scan.problem()).isEmpty();
        assertThat(new TreeSet<>(scan.protocols())).as("protocols").isEqualTo(testssl.protocols());
        Set<String> suites = new TreeSet<>();
        scan.versions().forEach(v -> suites.addAll(v.suites()));
        assertThat(suites).as("cipher suites").isEqualTo(testssl.suites());
        testssl.firstChoices()
                .forEach((version, suite) -> assertThat(
                                scan.version(version).orElseThrow().firstChoice())
                        .as("first choice in %s", version)
                        .isEqualTo(suite));
        Set<String> curves = new TreeSet<>();
        scan.versions()
                .forEach(v ->
                        v.groups().stream().filter(g -> !g.startsWith("ffdhe")).forEach(curves::add));
        assertThat(curves).as("curves").isEqualTo(testssl.curves());
        System.out.println(scan.endpoint() + ": " + scan.handshakes() + " handshakes; " + scan.versions());
    }

    private static Verdict verdict(List<RuleFinding> findings, String check) {
        return findings.stream()
                .filter(f -> f.check().equals(check))
                .map(RuleFinding::verdict)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + check + " in " + findings));
    }

    private static TlsScan scan(InetSocketAddress address, TlsStart start) throws InterruptedException {
        long started = System.nanoTime();
        TlsScan scan = scanner.scan(new TlsEndpoint(address.getAddress().getHostAddress(), address, start));
        System.out.println("scan of " + address + " took "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        // A local server answers every probe, with a ServerHello or an alert: none may count as lost.
        assertThat(scan.gaps()).as("probes without an answer").isEmpty();
        return scan;
    }

    /** testssl.sh's JSON findings, read into the sets the scan is compared with. */
    private record Testssl(Map<String, String> findings) {
        String finding(String id) {
            assertThat(findings).as("testssl.sh reported no %s", id).containsKey(id);
            return findings.get(id);
        }

        /** Ids SSLv3, TLS1, TLS1_1, TLS1_2, TLS1_3: "offered ..." or "not offered". */
        Set<String> protocols() {
            Set<String> offered = new TreeSet<>();
            Map<String, String> names =
                    Map.of("TLS1", "TLSv1", "TLS1_1", "TLSv1.1", "TLS1_2", "TLSv1.2", "TLS1_3", "TLSv1.3");
            names.forEach((id, name) -> {
                if (finding(id).startsWith("offered")) {
                    offered.add(name);
                }
            });
            assertThat(finding("SSLv3")).isEqualTo("not offered");
            return offered;
        }

        /** Ids cipher_x*: one per suite accepted, the RFC (IANA) name last. */
        Set<String> suites() {
            Set<String> names = new TreeSet<>();
            openSslToIana().values().forEach(names::add);
            return names;
        }

        Map<String, String> openSslToIana() {
            Map<String, String> names = new HashMap<>();
            findings.forEach((id, text) -> {
                if (id.startsWith("cipher_x")) {
                    String[] columns = text.trim().split("\\s+", -1);
                    names.put(columns[1], columns[columns.length - 1]);
                }
            });
            return names;
        }

        /** Ids cipherorder_TLSv1_2 and friends: the server's first choice per version, by IANA name. */
        Map<String, String> firstChoices() {
            Map<String, String> first = new HashMap<>();
            Map<String, String> iana = openSslToIana();
            findings.forEach((id, text) -> {
                if (id.startsWith("cipherorder_")) {
                    String version = id.substring("cipherorder_".length()).replace('_', '.');
                    String openSsl = text.trim().split("\\s+", -1)[0];
                    first.put(version.equals("TLSv1.0") ? "TLSv1" : version, iana.getOrDefault(openSsl, openSsl));
                }
            });
            return first;
        }

        /** Id PFS_ECDHE_curves (FS_ECDHE_curves from 3.1 on), in IANA names. */
        Set<String> curves() {
            String id = findings.containsKey("FS_ECDHE_curves") ? "FS_ECDHE_curves" : "PFS_ECDHE_curves";
            Set<String> curves = new TreeSet<>();
            if (findings.containsKey(id)) {
                for (String curve : findings.get(id).trim().split("\\s+", -1)) {
                    curves.add(CURVE_NAMES.getOrDefault(curve, curve.toLowerCase(Locale.ROOT)));
                }
            }
            return curves;
        }
    }

    private static Testssl testssl(Path dir, InetSocketAddress address, String starttls, String... extra)
            throws IOException {
        Path json = dir.resolve("testssl.json");
        List<String> args = new ArrayList<>(List.of(
                "--quiet",
                "--color",
                "0",
                "--warnings",
                "off",
                "--sneaky",
                "-p",
                "-e",
                "-P",
                "-f",
                "--jsonfile",
                json.toString()));
        args.addAll(List.of(extra));
        if (starttls != null) {
            args.addAll(List.of("--starttls", starttls));
        }
        args.add(address.getAddress().getHostAddress() + ":" + address.getPort());
        long started = System.nanoTime();
        ExternalTool.Result result =
                ExternalTool.require("testssl").run(TESTSSL_LIMIT, null, args.toArray(String[]::new));
        System.out.println("testssl.sh of " + address + " took "
                + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
        Map<String, String> findings = new HashMap<>();
        assertThat(json)
                .as("testssl.sh output:%n%s%n%s", result.stdout(), result.stderr())
                .exists();
        for (JsonNode finding : new ObjectMapper().readTree(json.toFile())) {
            findings.put(finding.path("id").asText(), finding.path("finding").asText());
        }
        assertThat(findings).as("testssl.sh output:%n%s", result.stdout()).containsKey("scanTime");
        return new Testssl(findings);
    }

    private static void selfSigned(String keySpec, Path key, Path cert) {
        ExternalTool.require("openssl")
                .run(
                        "req",
                        "-x509",
                        "-newkey",
                        keySpec,
                        "-nodes",
                        "-keyout",
                        key.toString(),
                        "-out",
                        cert.toString(),
                        "-days",
                        "2",
                        "-subj",
                        "/CN=tls.example.test",
                        "-sha256")
                .assertSuccess();
    }

    /** IANA names to OpenSSL's, from {@code openssl ciphers -stdname}. */
    private static Map<String, String> openSslNames() {
        Map<String, String> names = new HashMap<>();
        String listed = ExternalTool.require("openssl")
                .run("ciphers", "-stdname", "ALL:COMPLEMENTOFALL:@SECLEVEL=0")
                .assertSuccess()
                .stdout();
        for (String line : listed.split("\n", -1)) {
            String[] columns = line.trim().split("\\s+", -1);
            if (columns.length > 2 && columns[1].equals("-")) {
                names.put(columns[0], columns[2]);
            }
        }
        return names;
    }

    /** Whether a TLS 1.2 handshake of {@code openssl s_client} offering only {@code suite} completes. */
    private static boolean acceptsAlone(InetSocketAddress address, String suite) {
        ExternalTool.Result result = ExternalTool.require("openssl")
                .run(
                        new byte[0],
                        "s_client",
                        "-connect",
                        address.getAddress().getHostAddress() + ":" + address.getPort(),
                        "-tls1_2",
                        "-cipher",
                        suite + ":@SECLEVEL=0");
        return result.stdout().contains("Cipher is " + suite);
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, loopback())) {
            return free.getLocalPort();
        }
    }

    private static void awaitListener(BackgroundProcess server, int port) throws InterruptedException {
        BoundedPoll.await(
                "a listener on port " + port,
                Duration.ofSeconds(30),
                () -> {
                    server.assertRunning();
                    try (Socket socket = new Socket(loopback(), port)) {
                        return null;
                    } catch (IOException e) {
                        return e.toString();
                    }
                },
                server::log);
    }

    private static SServer sServer(Path dir, Path key, Path cert, String... options) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                ExternalTool.require("openssl").path(),
                "s_server",
                "-accept",
                "127.0.0.1:" + port,
                "-key",
                key.toString(),
                "-cert",
                cert.toString(),
                "-www",
                "-quiet",
                "-serverpref"));
        command.addAll(List.of(options));
        BackgroundProcess server =
                BackgroundProcess.start("openssl s_server", command, Map.of(), dir.resolve("s_server.log"));
        awaitListener(server, port);
        return new SServer(server, port);
    }

    /** An {@code openssl s_server} and its port. */
    private record SServer(BackgroundProcess process, int port) implements AutoCloseable {
        InetSocketAddress address() {
            return new InetSocketAddress(loopback(), port);
        }

        @Override
        public void close() {
            process.close();
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
