package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxpolicy.testing.Cli;
import org.mxpolicy.testing.ReportCorpus;

class ReportsCommandTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T03:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void config() throws Exception {
        config = dir.resolve("provider.yaml");
        Files.writeString(config, """
                zones:
                  example.com: {}
                domains:
                  - name: example.com
                    mx: [{ host: mx1.example.com, cert: mx1.pem }]
                    tls_rpt: { rua: mailto:tlsrpt@example.com }
                rollover:
                  state_dir: state
                reports:
                  retention: 2d
                """);
    }

    private Cli.Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), CLOCK);
        return new Cli.Run(code, out.toString(), err.toString());
    }

    private Cli.Run ingest(String mail) throws Exception {
        Path file = dir.resolve(mail);
        Files.write(file, ReportCorpus.bytes(mail));
        return run("reports", "ingest", "-c", config.toString(), "--input", file.toString());
    }

    @Test
    void aReportIsStoredOnceAndExitsZeroBothTimes() throws Exception {
        Cli.Run first = ingest("google-shape.eml");
        Cli.Run again = ingest("google-shape.eml");

        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout()).isEqualTo("1 report stored, 0 stored before\n");
        assertThat(again.exitCode()).isZero();
        assertThat(again.stdout()).isEqualTo("0 reports stored, 1 stored before\n");
        assertThat(Files.exists(dir.resolve("state/reports.sqlite"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bad-not-a-report.eml",
                "bad-broken-gzip.eml",
                "bad-gzip-bomb.eml",
                "bad-truncated-json.eml",
                "bad-wrong-types.eml"
            })
    void aMailThatCanNeverBeAReportExits65AndIsQuarantined(String mail) throws Exception {
        Cli.Run run = ingest(mail);

        assertThat(run.exitCode()).isEqualTo(65);
        assertThat(run.stdout()).isEmpty();
        List<String> lines = run.errorLines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("mxpolicy reports ingest: ");
        assertThat(lines.get(1))
                .startsWith("mxpolicy reports ingest: the mail is kept in " + dir.resolve("state/reports-quarantine"));
        try (Stream<Path> kept = Files.list(dir.resolve("state/reports-quarantine"))) {
            assertThat(kept).hasSize(2);
        }
    }

    @Test
    void anUnavailableStoreExits75AndKeepsNothing() throws Exception {
        Files.writeString(dir.resolve("state"), "a file where the state directory should be");

        Cli.Run run = ingest("google-shape.eml");

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderr()).startsWith("mxpolicy reports ingest: cannot create ");
    }

    @Test
    void theMailIsReadFromStandardInputAndAFiftyMegabyteOneIsQuarantinedNotHeld() throws Exception {
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(ReportCorpus.bytes("microsoft-shape.eml")));
            Cli.Run stored = run("reports", "ingest", "-c", config.toString());
            byte[] big = new byte[50 * 1024 * 1024];
            java.util.Arrays.fill(big, (byte) 'x');
            System.arraycopy(
                    "Subject: big\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, big, 0, 16);
            System.setIn(new java.io.ByteArrayInputStream(big));
            Cli.Run oversized = run("reports", "ingest", "-c", config.toString());

            assertThat(stored.exitCode()).as(stored.stderr()).isZero();
            assertThat(stored.stderr())
                    .isEqualTo("mxpolicy reports ingest: note: contact-info: null, though required\n");
            assertThat(oversized.exitCode()).isEqualTo(65);
            assertThat(oversized.firstErrorLine())
                    .isEqualTo("mxpolicy reports ingest: the mail is larger than 25 MiB, the limit for a report mail");
            try (Stream<Path> kept = Files.list(dir.resolve("state/reports-quarantine"))) {
                Path mail = kept.filter(p -> p.toString().endsWith(".eml"))
                        .findFirst()
                        .orElseThrow();
                assertThat(Files.size(mail)).isEqualTo(big.length);
            }
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void outsideIngestAnUnavailableStoreIsAFailedCommand() throws Exception {
        Files.writeString(dir.resolve("state"), "a file where the state directory should be");

        Cli.Run run = run("reports", "summary", "-c", config.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).startsWith("mxpolicy reports summary: cannot create ");
    }

    @Test
    void imapWithoutAMailboxInTheConfigExits75AndSaysWhatToAdd() {
        Cli.Run run = run("reports", "ingest", "-c", config.toString(), "--imap");

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderr()).contains("--imap needs reports.imap in the config");
    }

    @Test
    void imapLoginFileMistakesExit75BeforeAnyConnection() throws Exception {
        Files.writeString(config, Files.readString(config) + """
                  imap: { server: 192.0.2.1, login_file: imap.login }
                """);
        Path login = dir.resolve("imap.login");
        Files.writeString(login, "tlsrpt@example.com\n");
        Files.setPosixFilePermissions(login, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        Cli.Run oneLine = run("reports", "ingest", "-c", config.toString(), "--imap");
        Files.setPosixFilePermissions(login, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Cli.Run groupReadable = run("reports", "ingest", "-c", config.toString(), "--imap");
        Files.delete(login);
        Cli.Run missing = run("reports", "ingest", "-c", config.toString(), "--imap");

        assertThat(oneLine.exitCode()).isEqualTo(75);
        assertThat(oneLine.stderr()).contains("imap.login", "the password on its second, found 1 line");
        assertThat(groupReadable.exitCode()).isEqualTo(75);
        assertThat(groupReadable.stderr()).contains("readable or writable by group or others", "chmod 600");
        assertThat(missing.exitCode()).isEqualTo(75);
        assertThat(missing.stderr()).contains("imap.login", "no such file");
    }

    @Test
    void imapMaildirAndInputExcludeEachOther() {
        Cli.Run run = run("reports", "ingest", "-c", config.toString(), "--imap", "--maildir", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--maildir, --imap and --input exclude each other");
    }

    @Test
    void aBrokenConfigExits75SoTheMtaKeepsTheMail() throws Exception {
        Files.writeString(config, Files.readString(config).replace("retention: 2d", "retention: soon"));

        Cli.Run run = ingest("google-shape.eml");

        assertThat(run.exitCode()).isEqualTo(75);
        assertThat(run.stderr()).contains("'retention' must be a duration such as 3600, 90s, 30m, 1h or 2d");
    }

    @Test
    void theSummaryIsTextJsonOrCsv() throws Exception {
        for (String mail : List.of("google-shape.eml", "microsoft-shape.eml", "multi-policy-json-body.eml")) {
            assertThat(ingest(mail).exitCode()).isZero();
        }

        Cli.Run text = run("reports", "summary", "-c", config.toString(), "--domain", "Example.COM.");
        Cli.Run csv = run("reports", "summary", "-c", config.toString(), "--format", "csv", "--since", "2d");
        Cli.Run json =
                run("reports", "summary", "-c", config.toString(), "--format", "json", "--domain", "example.org");

        assertThat(text.exitCode()).as(text.stderr()).isZero();
        assertThat(text.stdout()).isEqualTo("""
                        example.com  sts  mx1.example.com mx2.example.com
                          sessions: 1700 successful, 3 failed (0.18 % failed) in 2 reports, 2026-12-05T00:00:00Z to 2026-12-06T23:59:59Z
                          failures by result type: certificate-expired 3
                          failures by organisation: Google LLC 3
                        example.com  tlsa  mx1.example.com
                          sessions: 1100 successful, 14 failed (1.26 % failed) in 2 reports, 2026-12-04T00:00:00Z to 2026-12-06T23:59:59Z
                          failures by result type: tlsa-invalid 10, dnssec-invalid 4
                          failures by organisation: Microsoft Corporation 10, Mail Provider GmbH 4
                          explanation [tlsrpt.single-mx]: failures at mx1.example.com only, from 2 of 3 senders (Mail Provider GmbH, Microsoft Corporation), while mx2.example.com succeeds: look at mx1.example.com (its certificate and TLSA records in mxpolicy check, its STARTTLS, its mail log)
                        example.com  tlsa  mx2.example.com
                          sessions: 250 successful, 0 failed (0.00 % failed) in 1 report, 2026-12-06T00:00:00Z to 2026-12-06T23:59:59Z
                        """);
        assertThat(csv.stdout())
                .startsWith("domain,policy_type,mx_host,successful_sessions,failed_sessions,failure_rate,reports,"
                        + "first_seen,last_seen,failures_by_result_type,failures_by_organization,explanation\r\n")
                // one sender's failures at one host are not enough to blame the host
                .contains("example.com,tlsa,mx1.example.com,300,4,0.013158,1,2026-12-06T00:00:00Z,"
                        + "2026-12-06T23:59:59Z,dnssec-invalid=4,Mail Provider GmbH=4,\r\n")
                .doesNotContain("Microsoft");
        assertThat(json.stdout())
                .contains("\"since\": \"2026-11-30T03:00:00Z\"")
                .contains("\"policy_type\": \"no-policy-found\"")
                .contains("\"starttls-not-supported\": 1");
        Cli.Run explained =
                run("reports", "summary", "-c", config.toString(), "--format", "json", "--domain", "example.com");
        assertThat(explained.stdout())
                .contains("\"explanation\"")
                .contains("\"rule\": \"tlsrpt.single-mx\"")
                .contains("\"text\": \"failures at mx1.example.com only, from 2 of 3 senders");
        Cli.Run csvExplained = run("reports", "summary", "-c", config.toString(), "--format", "csv");
        assertThat(csvExplained.stdout())
                .contains(",\"tlsrpt.single-mx: failures at mx1.example.com only, from 2 of 3 senders (Mail Provider"
                        + " GmbH, Microsoft Corporation), while mx2.example.com succeeds: look at mx1.example.com (its"
                        + " certificate and TLSA records in mxpolicy check, its STARTTLS, its mail log)\"\r\n");
    }

    @Test
    void pruneDeletesWhatIsOlderThanTheRetention() throws Exception {
        for (String mail : List.of("google-shape.eml", "microsoft-shape.eml", "multi-policy-json-body.eml")) {
            ingest(mail);
        }

        Cli.Run prune = run("reports", "prune", "-c", config.toString());

        assertThat(prune.exitCode()).as(prune.stderr()).isZero();
        assertThat(prune.stdout())
                .isEqualTo("1 report deleted that ended before 2026-12-05T03:00:00Z (retention 2d)\n");
    }

    @Test
    void aMaildirIsTakenInAndItsMailsMoved() throws Exception {
        Path maildir = dir.resolve("Maildir");
        for (String sub : List.of("tmp", "new", "cur")) {
            Files.createDirectories(maildir.resolve(sub));
        }
        Files.write(maildir.resolve("new/1.M1.host"), ReportCorpus.bytes("google-shape.eml"));
        Files.write(maildir.resolve("new/2.M2.host"), ReportCorpus.bytes("bad-not-a-report.eml"));

        Cli.Run run = run("reports", "ingest", "-c", config.toString(), "--maildir", maildir.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo("2 mails: 1 report stored, 0 stored before, 1 quarantined\n");
        assertThat(maildir.resolve(".Processed/cur/1.M1.host:2,S")).exists();
        assertThat(maildir.resolve("new/2.M2.host")).doesNotExist();
    }
}
