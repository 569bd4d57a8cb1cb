package org.mxpolicy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;

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
}
