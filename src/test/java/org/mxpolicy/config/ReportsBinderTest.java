package org.mxpolicy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.tlsrpt.ReportThresholds;

class ReportsBinderTest {

    private static final String BASE = """
            zones: { example.com: {} }
            domains:
              - name: example.com
                mx: [{ host: mx1.example.com, cert: mx1.pem }]
            """;

    private static ProviderConfig load(String reports) throws Exception {
        return ConfigLoader.load(new StringReader(BASE + reports), "p.yaml").config();
    }

    private static String error(String reports) {
        try {
            load(reports);
        } catch (InvalidInputException e) {
            return e.findings().stream()
                    .map(Finding::format)
                    .reduce((a, b) -> a + "\n" + b)
                    .orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + reports);
    }

    @Test
    void withoutTheSectionTheStoreIsSqliteInTheStateDirectoryForFourHundredDays() throws Exception {
        ReportsSettings reports = load("").reports();

        assertThat(reports.database()).isEmpty();
        assertThat(reports.retention()).isEqualTo(Duration.ofDays(400));
        assertThat(reports.quarantineDir()).isEmpty();
        assertThat(reports.processedFolder()).isEmpty();
    }

    @Test
    void everyKeyIsRead() throws Exception {
        ReportsSettings reports = load("""
                reports:
                  database: postgresql://mxpolicy@db.example.com/reports
                  retention: 90d
                  quarantine_dir: /var/lib/mxpolicy/quarantine
                  processed_folder: /var/mail/tlsrpt/Maildir/.Done
                """).reports();

        assertThat(reports.database()).contains("postgresql://mxpolicy@db.example.com/reports");
        assertThat(reports.retention()).isEqualTo(Duration.ofDays(90));
        assertThat(reports.quarantineDir().map(FileReference::path)).contains("/var/lib/mxpolicy/quarantine");
        assertThat(reports.processedFolder().map(FileReference::path))
                .isEqualTo(Optional.of("/var/mail/tlsrpt/Maildir/.Done"));
    }

    @Test
    void mistakesAreFindingsAtTheirPositions() {
        assertThat(error("reports: { retention: 0 }"))
                .isEqualTo("p.yaml:5:23: error: 'retention' must be longer than 0 [reports.retention]");
        assertThat(error("reports: { database: 'mysql://db/x' }"))
                .isEqualTo(
                        "p.yaml:5:22: error: 'database' must be a file for SQLite or a postgresql:// URI, found 'mysql://' [config.type]");
        assertThat(error("reports: { retension: 9d }")).contains("retension").contains("retention");
    }

    @Test
    void theImapMailboxIsReadWithItsDefaults() throws Exception {
        assertThat(load("").reports().imap()).isEmpty();
        ImapSettings imap = load("""
                reports:
                  imap: { server: imap.example.com, login_file: tlsrpt-imap.login }
                """).reports().imap().orElseThrow();

        assertThat(imap.server().host()).isEqualTo("imap.example.com");
        assertThat(imap.server().port()).isEqualTo(993);
        assertThat(imap.loginFile().path()).isEqualTo("tlsrpt-imap.login");
        assertThat(imap.folder()).isEqualTo("INBOX");
        assertThat(imap.processedFolder()).isEqualTo("Processed");
        assertThat(imap.caFile()).isEmpty();
    }

    @Test
    void everyImapKeyIsRead() throws Exception {
        ImapSettings imap = load("""
                reports:
                  imap:
                    server: '[2001:db8::143]:10993'
                    login_file: /etc/mxpolicy/tlsrpt-imap.login
                    folder: Reports/TLS
                    processed_folder: Reports/Done
                    ca_file: private-ca.pem
                """).reports().imap().orElseThrow();

        assertThat(imap.server().host()).isEqualTo("2001:db8::143");
        assertThat(imap.server().port()).isEqualTo(10993);
        assertThat(imap.folder()).isEqualTo("Reports/TLS");
        assertThat(imap.processedFolder()).isEqualTo("Reports/Done");
        assertThat(imap.caFile().map(FileReference::path)).contains("private-ca.pem");
    }

    @Test
    void imapMistakesAreFindingsAtTheirPositions() {
        assertThat(error("reports: { imap: { server: imap.example.com } }"))
                .isEqualTo("p.yaml:5:12: error: 'imap' is missing the required key 'login_file'; add login_file: a file"
                        + " with the user on its first line, the password on its second [config.missing-key]");
        assertThat(error("reports: { imap: { server: 'imap.example.com:99999', login_file: l } }"))
                .startsWith("p.yaml:5:28: error: port '99999'")
                .endsWith("[config.port]");
        assertThat(error("reports: { imap: { server: imap.example.com, login_file: l, processed_folder: INBOX } }"))
                .isEqualTo("p.yaml:5:79: error: 'processed_folder' is the folder read, 'INBOX'; processed mails"
                        + " must go elsewhere, e.g. Processed [reports.imap]");
        assertThat(error("reports: { imap: { server: imap.example.com, login_file: l, folder: '' } }"))
                .contains("'folder' is empty");
        assertThat(error("reports: { imap: { sever: imap.example.com, login_file: l } }"))
                .contains("sever")
                .contains("server");
    }

    @Test
    void withoutThresholdsCheckUsesTheDefaults() throws Exception {
        assertThat(load("").reports().configured()).isFalse();
        ReportsSettings reports = load("reports: {}").reports();

        assertThat(reports.configured()).isTrue();
        assertThat(reports.thresholds()).isEqualTo(ReportThresholds.defaults());
        assertThat(ReportThresholds.defaults())
                .isEqualTo(new ReportThresholds(Duration.ofDays(7), 0.02, 0.10, 10, 100, 20, Duration.ofDays(3)));
    }

    @Test
    void everyThresholdIsRead() throws Exception {
        ReportThresholds t = load("""
                reports:
                  thresholds:
                    window: 14d
                    failure_rate: { warning: 0.5%, critical: 25% }
                    failures: { warning: 1, critical: 1000 }
                    min_sessions: 200
                    silence: 0
                """).reports().thresholds();

        assertThat(t).isEqualTo(new ReportThresholds(Duration.ofDays(14), 0.005, 0.25, 1, 1000, 200, Duration.ZERO));
        assertThat(t.watchesSilence()).isFalse();
    }

    @Test
    void oneLevelGivenKeepsTheOthersDefault() throws Exception {
        ReportThresholds t = load("reports: { thresholds: { failure_rate: { critical: 50% } } }")
                .reports()
                .thresholds();

        assertThat(t.rateWarning()).isEqualTo(0.02);
        assertThat(t.rateCritical()).isEqualTo(0.5);
        assertThat(t.failuresCritical()).isEqualTo(100);
    }

    @Test
    void thresholdMistakesAreFindingsAtTheirPositions() {
        assertThat(error("""
                reports:
                  thresholds:
                    window: 0
                    failure_rate: { warning: 2, critical: 200% }
                    failures: { warning: 0, critical: ten }
                    min_sessions: -1
                    silense: 3d
                """))
                .isEqualTo(String.join(
                        "\n",
                        "p.yaml:7:13: error: 'window' must be longer than 0 [reports.thresholds]",
                        "p.yaml:8:30: error: 'warning' must be a percentage of all sessions such as 2% or 0.5%,"
                                + " found the integer 2 [config.type]",
                        "p.yaml:8:43: error: 'critical' must be above 0% and at most 100%, found '200%'"
                                + " [reports.thresholds]",
                        "p.yaml:9:26: error: 'warning' must be a number of sessions, at least 1, found 0"
                                + " [reports.thresholds]",
                        "p.yaml:9:39: error: 'critical' must be an integer, found the string \"ten\" [config.type]",
                        "p.yaml:10:19: error: 'min_sessions' must be a number of sessions, at least 1, found -1"
                                + " [reports.thresholds]",
                        "p.yaml:11:5: error: unknown key 'silense' under 'thresholds'; did you mean 'silence'?"
                                + " [config.unknown-key]"));
    }

    @Test
    void criticalBelowWarningIsAFindingAtTheValueThatBreaksTheOrder() {
        assertThat(error("reports: { thresholds: { failures: { warning: 50, critical: 20 } } }"))
                .isEqualTo("p.yaml:5:61: error: 'failures': 'critical' of 20 is below 'warning' of 50;"
                        + " CRITICAL must take at least as much as WARNING [reports.thresholds]");
        assertThat(error("reports: { thresholds: { failure_rate: { warning: 20% } } }"))
                .isEqualTo("p.yaml:5:51: error: 'failure_rate': the default 'critical' of 10% is below 'warning'"
                        + " of 20%; CRITICAL must take at least as much as WARNING [reports.thresholds]");
    }

    @Test
    void aWindowLongerThanTheRetentionIsAWarning() throws Exception {
        ConfigLoader.Result loaded = ConfigLoader.load(
                new StringReader(BASE + "reports: { retention: 30d, thresholds: { window: 60d } }"), "p.yaml");

        assertThat(loaded.warnings().stream().map(Finding::format))
                .contains("p.yaml:5:50: warning: 'window' is longer than the 'retention' of 30d: reports older"
                        + " than that are pruned and not counted [reports.thresholds]");
    }
}
