package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mxpolicy.testing.BoundedPoll;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.Launcher;
import org.mxpolicy.testing.PostfixServer;
import org.mxpolicy.testing.ReportCorpus;

/**
 * A real Postfix delivers report mails to {@code mxpolicy reports ingest} through a pipe
 * transport, as docs/reports.md sets it up: stored reports are delivered, a mail that can never
 * be a report bounces and is quarantined, and while the store is unavailable the mail waits in
 * the queue and is stored once when it comes back.
 */
class ReportsPostfixIT {

    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final String INGESTER = "nobody";

    private Path work;
    private Path state;
    private Path config;
    private PostfixServer postfix;

    @BeforeEach
    void setUp() throws Exception {
        ExternalTool.require("postfix");
        work = Files.createTempDirectory("mxpolicy-reports-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        state = Files.createDirectories(work.resolve("state"));
        UserPrincipal ingester =
                work.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(INGESTER);
        Files.setOwner(state, ingester);
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        config = work.resolve("provider.yaml");
        Files.writeString(config, """
                zones: { example.com: {} }
                domains:
                  - name: example.com
                    mx: [{ host: mx1.example.com, cert: mx1.pem }]
                    tls_rpt: { rua: mailto:tlsrpt@reports.example }
                rollover: { state_dir: %s }
                """.formatted(state));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        postfix = PostfixServer.builder("mx.reports.example")
                .starttls(false)
                .set("relay_domains", "reports.example")
                .set("transport_maps", "inline:{ reports.example=tlsrpt: }")
                .set("smtpd_relay_restrictions", "permit_auth_destination, reject")
                .set("export_environment", "TZ MAIL_CONFIG LANG PATH=/usr/local/bin:/usr/bin:/bin")
                .set("tlsrpt_destination_recipient_limit", "1")
                .service("tlsrpt unix - n n - 2 pipe\n  user=" + INGESTER + " argv=" + Launcher.path()
                        + " reports ingest -c " + config)
                .start();
    }

    @AfterEach
    void tearDown() throws IOException {
        if (postfix != null) {
            postfix.close();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void reportMailsAreStoredBadOnesBouncedAndQuarantinedAndAnUnavailableStoreDefers() throws Exception {
        send("google-shape.eml");
        send("microsoft-shape.eml");
        send("bad-not-a-report.eml");

        awaitSummaryWith("Google LLC=3", "Microsoft Corporation=10");
        BoundedPoll.await(
                "the bad mail bounced and quarantined",
                LIMIT,
                () -> delivery("status=bounced") && quarantined() == 2
                        ? null
                        : "no bounce yet, " + quarantined() + " files in the quarantine",
                postfix::log);
        assertThat(postfix.log()).contains("status=bounced (data format error");

        // the store unavailable: the ingester cannot enter the state directory
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("---------"));
        send("multi-policy-json-body.eml");
        BoundedPoll.await(
                "the mail deferred",
                LIMIT,
                () -> delivery("status=deferred") ? null : "not deferred yet",
                postfix::log);
        assertThat(postfix.log())
                .contains("status=deferred (temporary failure. Command output: mxpolicy reports ingest: cannot");

        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));
        postfix.flushQueue();
        awaitSummaryWith("Mail Provider GmbH=4", "Google LLC=3");
        String summary = summary();
        assertThat(summary.lines().filter(l -> l.contains("Google LLC"))).hasSize(1);
        assertThat(summary).contains("example.com,tlsa,mx1.example.com,1100,14,");
    }

    /** Whether Postfix logged a delivery to the report address with this status. */
    private boolean delivery(String status) {
        return postfix.log().lines().anyMatch(l -> l.contains("to=<tlsrpt@reports.example>") && l.contains(status));
    }

    private long quarantined() throws IOException {
        Path dir = state.resolve("reports-quarantine");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }

    private String summary() {
        return Launcher.run("reports", "summary", "-c", config.toString(), "--since", "4000d", "--format", "csv")
                .assertSuccess()
                .stdout();
    }

    private void awaitSummaryWith(String... parts) throws InterruptedException {
        BoundedPoll.await(
                "the reports stored",
                LIMIT,
                () -> {
                    if (!Files.exists(state.resolve("reports.sqlite"))) {
                        return "no store yet";
                    }
                    String summary = summary();
                    for (String part : parts) {
                        if (!summary.contains(part)) {
                            return "no " + part + " in\n" + summary;
                        }
                    }
                    return null;
                },
                postfix::log);
    }

    /** One mail over SMTP to tlsrpt@reports.example, as a sender's MTA delivers a report. */
    private void send(String mail) throws IOException {
        byte[] data = ReportCorpus.bytes(mail);
        try (Socket socket = new Socket(postfix.address().getAddress(), postfix.port())) {
            socket.setSoTimeout(30_000);
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            expect(in, "220");
            command(out, in, "EHLO reporter.example", "250");
            command(out, in, "MAIL FROM:<noreply-smtp-tls-reporting@reporter.example>", "250");
            command(out, in, "RCPT TO:<tlsrpt@reports.example>", "250");
            command(out, in, "DATA", "354");
            String text = new String(data, StandardCharsets.ISO_8859_1).replaceAll("(?m)^\\.", "..");
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            if (!text.endsWith("\r\n")) {
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            command(out, in, ".", "250");
            command(out, in, "QUIT", "221");
        }
    }

    private static void command(OutputStream out, BufferedReader in, String line, String code) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, code);
    }

    private static void expect(BufferedReader in, String code) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null || !line.startsWith(code)) {
                throw new AssertionError("expected " + code + ", got " + line);
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
    }
}
