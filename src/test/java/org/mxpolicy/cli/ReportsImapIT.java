package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.testing.BackgroundProcess;
import org.mxpolicy.testing.BoundedPoll;
import org.mxpolicy.testing.DovecotServer;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.Launcher;
import org.mxpolicy.testing.ReportCorpus;

/**
 * {@code reports ingest --imap} against a real Dovecot over IMAPS, as docs/reports.md sets it up:
 * reports stored, bad mails quarantined, every processed mail moved to the processed folder, a
 * second pass idle, and while the store is unavailable every mail stays in the INBOX (exit 75).
 */
class ReportsImapIT {

    private static final int EX_TEMPFAIL = 75;

    private Path work;
    private Path state;
    private InMemoryPki.Issuer ca;
    private DovecotServer dovecot;

    @BeforeEach
    void setUp() throws Exception {
        ExternalTool.require("dovecot");
        work = Files.createTempDirectory("mxpolicy-reports-imap-");
        state = Files.createDirectories(work.resolve("state"));
        ca = InMemoryPki.rootCa("mxpolicy IMAP test CA");
        Files.writeString(work.resolve("ca.pem"), InMemoryPki.pem(ca.certificate()));
        Path login = work.resolve("tlsrpt-imap.login");
        Files.writeString(login, DovecotServer.USER + "\n" + DovecotServer.PASSWORD + "\n");
        Files.setPosixFilePermissions(login, PosixFilePermissions.fromString("rw-------"));
        dovecot = DovecotServer.start(ca);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (dovecot != null) {
            dovecot.close();
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
    void reportsAreStoredBadMailsQuarantinedAndEveryProcessedMailMoved() throws Exception {
        for (String mail : new String[] {
            "google-shape.eml",
            "microsoft-shape.eml",
            "multi-policy-json-body.eml",
            "bad-not-a-report.eml",
            "bad-broken-gzip.eml"
        }) {
            dovecot.deliver(ReportCorpus.bytes(mail));
        }

        // the store unavailable: nothing is moved, the timer's next run retries
        Path unavailable = config("unavailable.yaml", "database: postgresql://127.0.0.1:1/reports");
        ExternalTool.Result down = ingest(unavailable);
        assertThat(down.exitCode()).as(down.stderr()).isEqualTo(EX_TEMPFAIL);
        assertThat(dovecot.count("INBOX")).isEqualTo(5);
        assertThat(dovecot.count("Processed")).isZero();

        Path config = config("provider.yaml", "");
        ExternalTool.Result first = pass(config);
        assertThat(first.stdout()).contains("5 mails: 3 reports stored, 0 stored before, 2 quarantined");
        assertThat(first.stderr()).contains("quarantined as");
        assertThat(dovecot.count("INBOX")).isZero();
        assertThat(dovecot.count("Processed")).isEqualTo(5);
        assertThat(quarantined()).isEqualTo(4); // each bad mail and its reason
        String summary = Launcher.run(
                        "reports", "summary", "-c", config.toString(), "--since", "4000d", "--format", "csv")
                .assertSuccess()
                .stdout();
        assertThat(summary).contains("Google LLC=3", "Microsoft Corporation=10", "Mail Provider GmbH=4");

        ExternalTool.Result second = pass(config);
        assertThat(second.stdout()).contains("0 mails: 0 reports stored");
        assertThat(dovecot.count("Processed")).isEqualTo(5);

        // a report delivered twice is counted once, and still moved
        dovecot.deliver(ReportCorpus.bytes("google-shape.eml"));
        ExternalTool.Result again = pass(config);
        assertThat(again.stdout()).contains("1 mail: 0 reports stored, 1 stored before, 0 quarantined");
        assertThat(dovecot.count("INBOX")).isZero();
        assertThat(dovecot.count("Processed")).isEqualTo(6);
    }

    @Test
    void withoutMoveTheMailsAreCopiedDeletedAndExpunged() throws Exception {
        dovecot.close();
        dovecot = DovecotServer.start(ca, false);
        dovecot.deliver(ReportCorpus.bytes("google-shape.eml"));
        dovecot.deliver(ReportCorpus.bytes("bad-not-a-report.eml"));
        dovecot.deliver(ReportCorpus.bytes("microsoft-shape.eml"));

        ExternalTool.Result run = pass(config("provider.yaml", ""));

        assertThat(run.stdout()).contains("3 mails: 2 reports stored, 0 stored before, 1 quarantined");
        assertThat(dovecot.count("INBOX")).isZero();
        assertThat(dovecot.count("Processed")).isEqualTo(3);
        assertThat(dovecot.log()).contains("deleted=3", "expunged=3"); // flagged \Deleted: COPY and EXPUNGE, no MOVE
    }

    @Test
    void aLoginFileOthersCanReadIsRefusedAndNothingIsTouched() throws Exception {
        dovecot.deliver(ReportCorpus.bytes("google-shape.eml"));
        Files.setPosixFilePermissions(work.resolve("tlsrpt-imap.login"), PosixFilePermissions.fromString("rw-r--r--"));

        ExternalTool.Result run = ingest(config("provider.yaml", ""));

        assertThat(run.exitCode()).isEqualTo(EX_TEMPFAIL);
        assertThat(run.stderr()).contains("tlsrpt-imap.login", "chmod 600");
        assertThat(dovecot.count("INBOX")).isEqualTo(1);
    }

    @Test
    void aServerCertificateFromAnotherCaIsRefused() throws Exception {
        dovecot.deliver(ReportCorpus.bytes("google-shape.eml"));
        Files.writeString(
                work.resolve("ca.pem"),
                InMemoryPki.pem(InMemoryPki.rootCa("another CA").certificate()));

        ExternalTool.Result run = ingest(config("provider.yaml", ""));

        assertThat(run.exitCode()).isEqualTo(EX_TEMPFAIL);
        assertThat(run.stderr())
                .contains("imaps://reports@localhost:" + dovecot.port())
                .containsIgnoringCase("certification path")
                .doesNotContain("refused the user and password");
        assertThat(dovecot.count("INBOX")).isEqualTo(1);
    }

    @Test
    void withIdleAMailDeliveredWhileWaitingIsTakenInWithinSecondsAfterAReconnectAndSigtermStopsCleanly()
            throws Exception {
        dovecot.deliver(ReportCorpus.bytes("google-shape.eml"));
        Path config = config("provider.yaml", "");
        try (BackgroundProcess watching = BackgroundProcess.start(
                "reports ingest --imap --idle",
                List.of(Launcher.path(), "reports", "ingest", "-c", config.toString(), "--imap", "--idle"),
                Map.of(),
                work.resolve("idle.log"))) {
            // the first pass takes in what is there, then IDLE waits
            BoundedPoll.await(
                    "the first pass",
                    Duration.ofSeconds(60),
                    () -> {
                        watching.assertRunning();
                        return watching.log().contains("waiting for new mail (IMAP IDLE)")
                                        && dovecot.count("Processed") == 1
                                ? null
                                : "not yet";
                    },
                    watching::log);

            // the connection lost: the watch connects again and waits once more
            dovecot.kick();
            BoundedPoll.await(
                    "a new connection",
                    Duration.ofSeconds(30),
                    () -> {
                        watching.assertRunning();
                        return watching.log().split("waiting for new mail", -1).length == 3 ? null : "not yet";
                    },
                    watching::log);
            assertThat(watching.log()).contains("trying again in 1 s");

            long delivered = System.nanoTime();
            dovecot.deliver(ReportCorpus.bytes("microsoft-shape.eml"));
            BoundedPoll.await(
                    "the mail delivered while idling",
                    Duration.ofSeconds(20),
                    () -> {
                        watching.assertRunning();
                        return dovecot.count("Processed") == 2 ? null : "still in the INBOX";
                    },
                    () -> watching.log() + "\ndovecot's log:\n" + dovecot.log());
            Duration latency = Duration.ofNanos(System.nanoTime() - delivered);
            assertThat(latency).isLessThan(Duration.ofSeconds(20));
            assertThat(dovecot.count("INBOX")).isZero();

            assertThat(watching.terminate(Duration.ofSeconds(15)))
                    .as(watching.log())
                    .isZero();
            assertThat(watching.log())
                    .containsSubsequence(
                            "1 mail: 1 report stored, 0 stored before, 0 quarantined",
                            "1 mail: 1 report stored, 0 stored before, 0 quarantined");
        }
        String summary = Launcher.run(
                        "reports", "summary", "-c", config.toString(), "--since", "4000d", "--format", "csv")
                .assertSuccess()
                .stdout();
        assertThat(summary).contains("Google LLC=3", "Microsoft Corporation=10");
    }

    /** A pass that must succeed; Dovecot's log tells why it did not. */
    private ExternalTool.Result pass(Path config) {
        ExternalTool.Result run = ingest(config);
        assertThat(run.exitCode())
                .as(() -> run.stderr() + "\ndovecot's log:\n" + dovecot.log())
                .isZero();
        return run;
    }

    private ExternalTool.Result ingest(Path config) {
        return Launcher.run("reports", "ingest", "-c", config.toString(), "--imap");
    }

    private Path config(String name, String database) throws IOException {
        Path config = work.resolve(name);
        Files.writeString(config, """
                zones: { example.com: {} }
                domains:
                  - name: example.com
                    mx: [{ host: mx1.example.com, cert: mx1.pem }]
                    tls_rpt: { rua: mailto:tlsrpt@reports.example }
                rollover: { state_dir: %s }
                reports:
                  %s
                  imap:
                    server: %s:%d
                    login_file: tlsrpt-imap.login
                    processed_folder: Processed
                    ca_file: ca.pem
                """.formatted(state, database, DovecotServer.HOST, dovecot.port()));
        return config;
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
}
