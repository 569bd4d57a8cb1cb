package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mxpolicy.rollover.RolloverState;
import org.mxpolicy.status.CheckJson;
import org.mxpolicy.status.StatusModel;
import org.mxpolicy.status.StatusSite;
import org.mxpolicy.status.StatusSource;

/**
 * The admin listener with TLS, passwords and the status pages, on 127.0.0.1, asked over real TLS
 * by a client that trusts only the test CA; and its refusal to listen off loopback without them.
 */
class AdminListenerTest {

    private static final String HOST = "mta-sts.example.com";
    private static final String PASSWORD = "correct horse battery staple";

    private static PolicyServer server;
    private static SSLContext trustingTestCa;
    private static final StringWriter log = new StringWriter();

    @BeforeAll
    static void start() throws Exception {
        trustingTestCa = ExampleHosts.clientTrustingTestCa();
        PolicyHost com = ExampleHosts.hosts().stream()
                .filter(h -> h.host().equals(HOST))
                .findFirst()
                .orElseThrow();
        AdminPasswords passwords =
                AdminPasswords.parse(AdminPasswords.line("admin", PASSWORD.toCharArray(), new SecureRandom()), "test");
        AdminSettings admin = new AdminSettings(
                new ListenAddress("127.0.0.1", 0),
                Optional.of(new HostCertificate("admin", com.chain(), com.key())),
                Optional.of(passwords),
                Optional.of(site()));
        PrintWriter out = new PrintWriter(log, true);
        server = PolicyServer.start(
                ServedHosts.of(ExampleHosts.hosts()),
                new ListenAddress("127.0.0.1", 0),
                admin,
                ServerLimits.DEFAULT,
                out::println,
                ServerTls.defaultProfile());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static StatusSite site() throws Exception {
        StatusModel model;
        try (InputStream in = AdminListenerTest.class.getResourceAsStream("/status/check-small.json")) {
            model = new StatusModel(CheckJson.read(in, "check-small.json"));
        }
        StatusSource source = new StatusSource() {
            @Override
            public Optional<StatusModel> check() {
                return Optional.of(model);
            }

            @Override
            public Optional<RolloverState> rollover(String host) {
                return Optional.empty();
            }

            @Override
            public String checkLocation() {
                return "check-small.json";
            }
        };
        Clock clock = Clock.fixed(Instant.parse("2026-12-07T22:10:00Z"), ZoneOffset.UTC);
        return new StatusSite(source, clock, Duration.ofMinutes(20), Duration.ofHours(1));
    }

    private static TlsClient.Response get(String path, String user, String password) throws Exception {
        return request("GET", path, user, password);
    }

    private static TlsClient.Response request(String method, String path, String user, String password)
            throws Exception {
        String auth = user == null
                ? ""
                : "Authorization: Basic "
                        + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))
                        + "\r\n";
        return new TlsClient(trustingTestCa, server.adminPort())
                .send(
                        HOST,
                        method + " " + path + " HTTP/1.1\r\nHost: " + HOST + "\r\n" + auth
                                + "Content-Length: 0\r\nConnection: close\r\n\r\n");
    }

    @Test
    void theRightPasswordGetsTheOverviewOverTlsWithTheSecurityHeaders() throws Exception {
        TlsClient.Response page = get("/?sort=name", "admin", PASSWORD);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.certificate().getSubjectX500Principal().getName()).contains(HOST);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.text()).contains("<caption>Domains, by Domain</caption>", "example.net");
        assertThat(page.header("Content-Security-Policy"))
                .contains("default-src 'none'", "style-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline")
                .doesNotContain("script-src");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");

        TlsClient.Response css = get("/style.css", "admin", PASSWORD);
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.header("Content-Type")).startsWith("text/css");
        assertThat(get("/domain/example.net", "admin", PASSWORD).status()).isEqualTo(200);
        assertThat(get("/mx/mx1.example.com", "admin", PASSWORD).status()).isEqualTo(200);
        assertThat(get("/domain/example.invalid", "admin", PASSWORD).status()).isEqualTo(404);
        assertThat(get(PolicyServer.HEALTH_PATH, "admin", PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordAnUnknownUserOrNoCredentialsAre401OnEveryPath() throws Exception {
        for (String path : new String[] {"/", "/style.css", PolicyServer.METRICS_PATH, "/no/such/page"}) {
            TlsClient.Response wrong = get(path, "admin", "wrong");
            assertThat(wrong.status()).as(path).isEqualTo(401);
            assertThat(wrong.header("WWW-Authenticate")).startsWith("Basic realm=");
            assertThat(wrong.header("Content-Security-Policy")).isNotNull();
            assertThat(get(path, "root", PASSWORD).status()).as(path).isEqualTo(401);
            assertThat(get(path, null, null).status()).as(path).isEqualTo(401);
        }
        assertThat(log.toString()).doesNotContain(PASSWORD).doesNotContain("wrong");
    }

    @Test
    void requestsJettyRefusesBeforeAnyHandlerGetTheSecurityHeadersToo() throws Exception {
        String badUri = "GET /% HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n";
        String hugeHeader = "GET / HTTP/1.1\r\nHost: " + HOST + "\r\nAuthorization: Basic " + "A".repeat(100_000)
                + "\r\nConnection: close\r\n\r\n";
        for (String raw : new String[] {badUri, hugeHeader}) {
            TlsClient.Response refused = new TlsClient(trustingTestCa, server.adminPort()).send(HOST, raw);
            assertThat(refused.status()).isIn(400, 431);
            assertThat(refused.header("Content-Security-Policy")).isEqualTo(AdminGuard.CONTENT_SECURITY_POLICY);
            assertThat(refused.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(refused.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(refused.header("Cache-Control")).contains("no-store");
        }
    }

    @Test
    void theListenerIsReadOnly() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
            TlsClient.Response refused = request(method, "/", "admin", PASSWORD);
            assertThat(refused.status()).as(method).isEqualTo(405);
            assertThat(refused.header("Allow")).isEqualTo("GET, HEAD");
        }
        // refused before the password is even looked at
        assertThat(request("POST", "/", null, null).status()).isEqualTo(405);
        assertThat(request("HEAD", "/", "admin", PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void theCertificateIsPresentedWithoutSniOrForAnotherName() throws Exception {
        String request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic "
                + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8))
                + "\r\nConnection: close\r\n\r\n";
        TlsClient.Response bySocket = new TlsClient(trustingTestCa, server.adminPort()).send(null, request);
        assertThat(bySocket.status()).isEqualTo(200);
        assertThat(bySocket.certificate().getSubjectX500Principal().getName()).contains(HOST);
    }

    @Test
    void plainHttpOnTheTlsPortGetsNoPage() throws Exception {
        try (Socket plain = new Socket("127.0.0.1", server.adminPort())) {
            plain.setSoTimeout(5000);
            plain.getOutputStream()
                    .write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            byte[] answer = plain.getInputStream().readAllBytes();
            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("example.net");
        }
    }

    @Test
    void offLoopbackWithoutTlsAndPasswordsTheListenerRefusesToStart() throws Exception {
        PolicyHost com = ExampleHosts.hosts().get(0);
        HostCertificate cert = new HostCertificate(com.host(), com.chain(), com.key());
        AdminPasswords passwords =
                AdminPasswords.parse(AdminPasswords.line("admin", PASSWORD.toCharArray(), new SecureRandom()), "test");
        for (AdminSettings unprotected : new AdminSettings[] {
            AdminSettings.plain(new ListenAddress("0.0.0.0", 0)),
            new AdminSettings(new ListenAddress("::", 0), Optional.of(cert), Optional.empty(), Optional.empty()),
            new AdminSettings(
                    new ListenAddress("192.0.2.1", 0), Optional.empty(), Optional.of(passwords), Optional.empty()),
            AdminSettings.plain(new ListenAddress("admin.example.com", 0))
        }) {
            assertThatThrownBy(() -> PolicyServer.start(
                            ServedHosts.of(ExampleHosts.hosts()),
                            new ListenAddress("127.0.0.1", 0),
                            unprotected,
                            ServerLimits.DEFAULT,
                            line -> {},
                            ServerTls.defaultProfile()))
                    .isInstanceOf(UnprotectedAdminException.class)
                    .hasMessageStartingWith("the admin listener on " + unprotected.address() + " is not on loopback")
                    .hasMessageNotContaining("\n")
                    .satisfies(e -> assertThat(((UnprotectedAdminException) e).exitCode())
                            .isEqualTo(2));
        }
        // loopback needs neither
        AdminSettings.plain(new ListenAddress("127.0.0.1", 0)).requireProtected();
        AdminSettings.plain(new ListenAddress("::1", 0)).requireProtected();
        new AdminSettings(new ListenAddress("0.0.0.0", 0), Optional.of(cert), Optional.of(passwords), Optional.empty())
                .requireProtected();
    }
}
