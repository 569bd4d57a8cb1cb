package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.store.JdbcReportStore;
import org.mxpolicy.store.StoreLocation;
import org.mxpolicy.testing.Cli;
import org.mxpolicy.tlsrpt.FailureDetail;
import org.mxpolicy.tlsrpt.ParsedReport;
import org.mxpolicy.tlsrpt.PolicyReport;
import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.TlsReport;

/**
 * {@code check} with a {@code reports} section prints the TLS-RPT findings and samples. The
 * resolver is unreachable, so every other observation is UNKNOWN at once and the run needs no
 * network; only the lines of the reports are asserted (the {@code _smtp._tls} record's own
 * {@code tlsrpt.*} results are the DNS check's).
 */
class CheckReportsTest {

    @TempDir
    Path dir;

    @Test
    void theFindingsOfTheStoredReportsAreShownAndSampled() throws Exception {
        Path config = config("reports.sqlite");
        Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(6));
        try (ReportStore store = JdbcReportStore.open(StoreLocation.sqlite(dir.resolve("reports.sqlite")))) {
            store.store(report("Google LLC", end, 850, 150), "google", end);
        }

        Cli.Run text = Cli.run("check", "-c", config.toString(), "--timeout", "2s");

        assertThat(tlsrptLines(text.stdout()))
                .as(text.stdout() + text.stderr())
                .containsExactly(
                        "CRITICAL example.com: 15% of sessions failed in the last 7d (150 of 1000; WARNING from 2%,"
                                + " CRITICAL from 10%): validation-failure 150; reported by Google LLC 150; see mxpolicy"
                                + " reports summary --since 7d --domain example.com (TR-03108-11-R)"
                                + " [tlsrpt.failure-rate]",
                        "CRITICAL example.com: 150 failed sessions in the last 7d (WARNING from 10, CRITICAL from 100):"
                                + " validation-failure 150; reported by Google LLC 150; see mxpolicy reports summary"
                                + " --since 7d --domain example.com (TR-03108-11-R) [tlsrpt.failures]",
                        "OK       example.com: the latest TLS report ended " + end + " (TR-03108-11-R)"
                                + " [tlsrpt.silence]");
        assertThat(text.exitCode()).isEqualTo(2);

        Cli.Run prometheus = Cli.run("check", "-c", config.toString(), "--timeout", "2s", "--format", "prometheus");

        assertThat(prometheus.stdout().lines().filter(l -> l.startsWith("mxpolicy_tlsrpt_")))
                .containsExactly(
                        "mxpolicy_tlsrpt_window_seconds 604800",
                        "mxpolicy_tlsrpt_sessions{domain=\"example.com\",policy_type=\"sts\",result=\"successful\"} 850",
                        "mxpolicy_tlsrpt_sessions{domain=\"example.com\",policy_type=\"sts\",result=\"failed\"} 150",
                        "mxpolicy_tlsrpt_failed_sessions{domain=\"example.com\",policy_type=\"sts\","
                                + "result_type=\"validation-failure\"} 150",
                        "mxpolicy_tlsrpt_last_report_timestamp_seconds{domain=\"example.com\"} "
                                + end.getEpochSecond());
    }

    @Test
    void aStoreThatCannotBeReachedIsOneUnknownLine() throws Exception {
        Files.writeString(dir.resolve("state"), "a file where a directory should be");
        Path config = config("state/reports.sqlite");

        Cli.Run run = Cli.run("check", "-c", config.toString(), "--timeout", "2s");

        assertThat(tlsrptLines(run.stdout()))
                .as(run.stdout() + run.stderr())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("UNKNOWN  report store: cannot read the TLS reports, so they are not judged:")
                        .endsWith("(TR-03108-11-R) [tlsrpt.store]"));
        assertThat(run.exitCode()).isEqualTo(3);
    }

    @Test
    void aPostgresqlServerThatIsDownIsOneUnknownLine() throws Exception {
        // TCP port 9 on loopback: the connection is refused at once
        Path config = config("'postgresql://mxpolicy@127.0.0.1:9/reports'");

        Cli.Run run = Cli.run("check", "-c", config.toString(), "--timeout", "2s");

        assertThat(tlsrptLines(run.stdout()))
                .as(run.stdout() + run.stderr())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("UNKNOWN  report store: cannot read the TLS reports, so they are not judged:")
                        .contains("127.0.0.1:9")
                        .endsWith("[tlsrpt.store]"));
    }

    @Test
    void withoutAReportsSectionNoReportIsRead() throws Exception {
        Path config = Files.writeString(dir.resolve("mxpolicy.yaml"), BASE);

        Cli.Run run = Cli.run("check", "-c", config.toString(), "--timeout", "2s", "--format", "prometheus");

        assertThat(run.stdout()).doesNotContain("tlsrpt_");
        assertThat(tlsrptLines(Cli.run("check", "-c", config.toString(), "--timeout", "2s")
                        .stdout()))
                .isEmpty();
        assertThat(dir.resolve("reports.sqlite")).doesNotExist();
    }

    private static final String BASE = """
            zones:
              example.com:
                ttl: 3600
                nameservers: [ "127.0.0.1:9" ]
            dns:
              resolvers: [ "127.0.0.1:9" ]
            domains:
              - name: example.com
                mx:
                  - host: mx1.example.com
                    cert: certs/fullchain.pem
                tls_rpt: { rua: "mailto:tlsrpt@example.com" }
            """;

    private Path config(String database) throws Exception {
        Path certs = Files.createDirectories(dir.resolve("certs"));
        Files.copy(Path.of("examples/certs/mx1.example.com/fullchain.pem"), certs.resolve("fullchain.pem"));
        // UDP port 9 on loopback: nothing answers, the kernel says "port unreachable" at once
        return Files.writeString(dir.resolve("mxpolicy.yaml"), BASE + "reports: { database: " + database + " }\n");
    }

    private static List<String> tlsrptLines(String stdout) {
        return stdout.lines()
                .filter(l -> l.matches(".*\\[tlsrpt\\.(failure-rate|failures|silence|store)]$"))
                .toList();
    }

    private static ParsedReport report(String organization, Instant end, long successful, long failed) {
        FailureDetail failure = new FailureDetail(
                "validation-failure",
                Optional.of("192.0.2.1"),
                Optional.of("mx1.example.com"),
                Optional.empty(),
                Optional.empty(),
                failed,
                Optional.empty(),
                Optional.empty());
        PolicyReport policy = new PolicyReport(
                PolicyReport.STS,
                List.of("version: STSv1", "mode: enforce", "mx: mx1.example.com"),
                "example.com",
                List.of("mx1.example.com", "mx2.example.com"),
                successful,
                failed,
                List.of(failure));
        return new ParsedReport(
                new TlsReport(organization, end.minus(Duration.ofDays(1)), end, Optional.empty(), "1", List.of(policy)),
                List.of());
    }
}
