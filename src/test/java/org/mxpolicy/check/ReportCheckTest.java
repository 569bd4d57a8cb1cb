package org.mxpolicy.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.desired.DesiredDomain;
import org.mxpolicy.desired.DesiredMx;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.store.JdbcReportStore;
import org.mxpolicy.store.StoreLocation;
import org.mxpolicy.tlsrpt.FailureDetail;
import org.mxpolicy.tlsrpt.ParsedReport;
import org.mxpolicy.tlsrpt.PolicyReport;
import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.ReportThresholds;
import org.mxpolicy.tlsrpt.TlsReport;
import org.xbill.DNS.Rcode;

/**
 * The TLS-RPT findings of {@code check} with the default thresholds (7 days; rate 2 % and 10 %;
 * 10 and 100 failed sessions; 20 sessions before a rate is judged; 3 days of silence), from
 * reports in an SQLite store, at a fixed time.
 */
class ReportCheckTest {

    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final DesiredState DESIRED = new DesiredState(
            List.of(),
            List.of(),
            List.of(),
            List.of(new DesiredMx("mx1.example.com", 25, null, List.of(), 1)),
            List.of(
                    new DesiredDomain("example.com", List.of("mx1.example.com"), true),
                    new DesiredDomain("example.net", List.of("mx1.example.com"), false)),
            Map.of(),
            Set.of());

    @TempDir
    Path dir;

    private StoreLocation location;
    private int reports;

    @BeforeEach
    void openStore() {
        location = StoreLocation.sqlite(dir.resolve("state/reports.sqlite"));
    }

    @Test
    void fewFailuresAreOkForTheRateTheCountAndTheSilence() throws Exception {
        store("Google LLC", daysAgo(1), sts("example.com", 995, failure("certificate-expired", 5)));

        assertThat(lines(run()))
                .containsExactly(
                        "OK example.com tlsrpt.failure-rate: 0.5% of sessions failed in the last 7d (5 of 1000;"
                                + " WARNING from 2%, CRITICAL from 10%): certificate-expired 5; reported by Google LLC 5"
                                + " (TR-03108-11-R)",
                        "OK example.com tlsrpt.failures: 5 failed sessions in the last 7d (WARNING from 10, CRITICAL from 100):"
                                + " certificate-expired 5; reported by Google LLC 5 (TR-03108-11-R)",
                        "OK example.com tlsrpt.silence: the latest TLS report ended 2026-12-06T03:00:00Z (TR-03108-11-R)");
    }

    @Test
    void aRateFromTheWarningThresholdIsAWarningWhileTheCountIsStillOk() throws Exception {
        store("Google LLC", daysAgo(1), sts("example.com", 291, failure("sts-policy-fetch-error", 9)));

        CheckResult rate = result(run(), "example.com", ReportCheck.FAILURE_RATE);
        assertThat(rate.status()).isEqualTo(CheckStatus.WARNING);
        assertThat(rate.message())
                .startsWith("3% of sessions failed in the last 7d (9 of 300;")
                .contains("sts-policy-fetch-error 9; reported by Google LLC 9")
                .endsWith("; see mxpolicy reports summary --since 7d --domain example.com (TR-03108-11-R)");
        assertThat(result(run(), "example.com", ReportCheck.FAILURES).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void aRateFromTheCriticalThresholdIsCritical() throws Exception {
        store("Google LLC", daysAgo(1), sts("example.com", 52, failure("validation-failure", 8)));

        CheckResult rate = result(run(), "example.com", ReportCheck.FAILURE_RATE);
        assertThat(rate.status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(rate.message()).startsWith("13.33% of sessions failed in the last 7d (8 of 60;");
    }

    @Test
    void tooFewSessionsAreNotJudgedByRate() throws Exception {
        store("Google LLC", daysAgo(1), sts("example.com", 2, failure("validation-failure", 3)));

        CheckResult rate = result(run(), "example.com", ReportCheck.FAILURE_RATE);
        assertThat(rate.status()).isEqualTo(CheckStatus.OK);
        assertThat(rate.message()).contains("3 of 5 sessions failed").contains("too few to judge a rate");
    }

    @Test
    void failedSessionsFromTheWarningCountAreAWarningAtALowRate() throws Exception {
        store("Microsoft Corporation", daysAgo(2), sts("example.com", 99_950, failure("starttls-not-supported", 50)));

        List<CheckResult> results = run();
        assertThat(result(results, "example.com", ReportCheck.FAILURE_RATE).status())
                .isEqualTo(CheckStatus.OK);
        CheckResult count = result(results, "example.com", ReportCheck.FAILURES);
        assertThat(count.status()).isEqualTo(CheckStatus.WARNING);
        assertThat(count.message())
                .startsWith("50 failed sessions in the last 7d")
                .contains("starttls-not-supported 50; reported by Microsoft Corporation 50");
    }

    @Test
    void failedSessionsFromTheCriticalCountAreCriticalAndTheLargestCausesAreNamed() throws Exception {
        store(
                "Google LLC",
                daysAgo(1),
                sts(
                        "example.com",
                        99_000,
                        failure("certificate-expired", 80),
                        failure("validation-failure", 30),
                        failure("sts-webpki-invalid", 20),
                        failure("starttls-not-supported", 10)));
        store("Small Mail AG", daysAgo(2), sts("example.com", 1000, failure("certificate-expired", 5)));
        store("Mail Provider GmbH", daysAgo(3), sts("example.com", 1000, failure("certificate-expired", 1)));
        store("Other Sender", daysAgo(3), sts("example.com", 1000, failure("certificate-expired", 1)));

        CheckResult count = result(run(), "example.com", ReportCheck.FAILURES);
        assertThat(count.status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(count.message())
                .contains("147 failed sessions")
                .contains("certificate-expired 87, validation-failure 30, sts-webpki-invalid 20 and 1 more;"
                        + " reported by Google LLC 140, Small Mail AG 5, Mail Provider GmbH 1 and 1 more");
    }

    @Test
    void anMxHostIsJudgedFromThePoliciesThatNameItAloneInTheReportsOfAnyDomain() throws Exception {
        store("Microsoft Corporation", daysAgo(1), tlsa("example.com", List.of("mx1.example.com"), 100, 20));
        store("Microsoft Corporation", daysAgo(2), tlsa("other.example", List.of("mx1.example.com"), 80, 0));
        // a reporter that gives the MX host as the policy domain of a DANE policy
        store(
                "Mail Provider GmbH",
                daysAgo(1),
                new PolicyReport(
                        PolicyReport.TLSA,
                        List.of("3 1 1 aa"),
                        "mx1.example.com",
                        List.of(),
                        0,
                        5,
                        List.of(failure("dnssec-invalid", 5))));

        List<CheckResult> results = run();
        CheckResult rate = result(results, "mx1.example.com", ReportCheck.FAILURE_RATE);
        assertThat(rate.status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(rate.message())
                .startsWith("12.2% of sessions failed in the last 7d (25 of 205;")
                .contains(
                        "tlsa-invalid 20, dnssec-invalid 5; reported by Microsoft Corporation 20, Mail Provider GmbH 5")
                .endsWith("; see mxpolicy reports summary --since 7d (TR-03108-11-R)");
        assertThat(result(results, "mx1.example.com", ReportCheck.FAILURES).status())
                .isEqualTo(CheckStatus.WARNING);
        // the domain counts its own sessions only
        assertThat(result(results, "example.com", ReportCheck.FAILURE_RATE).message())
                .contains("(20 of 120;");
    }

    @Test
    void anStsPolicyOverSeveralHostsCountsForItsDomainOnly() throws Exception {
        store("Google LLC", daysAgo(1), sts("example.com", 100, failure("validation-failure", 50)));

        assertThat(run()).extracting(CheckResult::subject).containsOnly("example.com");
    }

    @Test
    void aDomainWhoseReportsStoppedArrivingIsAWarning() throws Exception {
        store("Google LLC", daysAgo(5), sts("example.com", 1000, failure("certificate-expired", 1)));

        CheckResult silence = result(run(), "example.com", ReportCheck.SILENCE);
        assertThat(silence.status()).isEqualTo(CheckStatus.WARNING);
        assertThat(silence.message())
                .startsWith("reports stopped arriving: the latest TLS report ended 2026-12-02T03:00:00Z, 5d ago,"
                        + " and none since (WARNING after 3d)")
                .contains("_smtp._tls.example.com");
    }

    @Test
    void silenceIsJudgedBeyondTheWindowAndNotForDomainsThatDoNotAskForReports() throws Exception {
        store("Google LLC", daysAgo(20), sts("example.com", 1000));
        store("Google LLC", daysAgo(20), sts("example.net", 1000));

        List<CheckResult> results = run();
        assertThat(result(results, "example.com", ReportCheck.SILENCE).status()).isEqualTo(CheckStatus.WARNING);
        assertThat(result(results, "example.com", ReportCheck.FAILURE_RATE).message())
                .isEqualTo("no sessions reported in the last 7d (TR-03108-11-R)");
        // example.net has no tls_rpt: its old reports say nothing about today
        assertThat(results).filteredOn(r -> r.subject().equals("example.net")).isEmpty();
    }

    @Test
    void aSilenceOfZeroTurnsTheFindingOff() throws Exception {
        store("Google LLC", daysAgo(5), sts("example.com", 1000));
        ReportThresholds d = ReportThresholds.defaults();
        ReportThresholds quiet = new ReportThresholds(
                d.window(),
                d.rateWarning(),
                d.rateCritical(),
                d.failuresWarning(),
                d.failuresCritical(),
                d.minSessions(),
                Duration.ZERO);

        assertThat(run(quiet).results()).extracting(CheckResult::id).doesNotContain(ReportCheck.SILENCE);
    }

    @Test
    void domainsAndHostsNotInTheConfigAreLeftOut() throws Exception {
        store("Google LLC", daysAgo(1), sts("other.example", 10, failure("validation-failure", 500)));

        ReportCheck.Outcome outcome = run(ReportThresholds.defaults());
        assertThat(outcome.results()).extracting(CheckResult::subject).doesNotContain("other.example");
        assertThat(outcome.metrics().orElseThrow().groups()).isEmpty();
    }

    @Test
    void anUnreachableStoreIsOneUnknownResultNotACrash() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("state"), "a file where the state directory should be");
        StoredReports unreachable = new StoredReports(
                () -> JdbcReportStore.open(StoreLocation.sqlite(notADirectory.resolve("reports.sqlite"))),
                ReportThresholds.defaults());

        ReportCheck.Outcome outcome = new ReportCheck(unreachable, CLOCK).run(DESIRED);

        assertThat(outcome.results()).hasSize(1);
        CheckResult unknown = outcome.results().get(0);
        assertThat(unknown.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(unknown.id()).isEqualTo(ReportCheck.STORE);
        assertThat(unknown.message()).startsWith("cannot read the TLS reports").endsWith("(TR-03108-11-R)");
        assertThat(outcome.metrics()).isEmpty();
    }

    @Test
    void theRunnerAddsTheFindingsAndTheMetricsToTheReport() throws Exception {
        store("Google LLC", daysAgo(1), sts("example.com", 995, failure("certificate-expired", 5)));
        // DNS down: the domain's other results are UNKNOWN, and nothing else is asked
        DnsLookup down = (name, type) -> new DnsAnswer(
                name, type, Rcode.SERVFAIL, DnsAnswer.Security.FAILED, List.of(), List.of(), Optional.of("down"));
        Observers observers = new Observers(down, null, null, null, Optional.of(stored(ReportThresholds.defaults())));

        DesiredState domainsOnly =
                new DesiredState(List.of(), List.of(), List.of(), List.of(), DESIRED.domains(), Map.of(), Set.of());

        CheckReport report = new CheckRunner(observers, CheckSettings.defaults(), CLOCK).run(domainsOnly);

        assertThat(report.results()).extracting(CheckResult::id).contains(ReportCheck.FAILURE_RATE);
        assertThat(report.reports().orElseThrow().window()).isEqualTo(Duration.ofDays(7));
        assertThat(report.reports().orElseThrow().lastReports())
                .containsExactly(new ReportStore.LastReport("example.com", daysAgo(1)));
    }

    private List<CheckResult> run() {
        return run(ReportThresholds.defaults()).results();
    }

    private ReportCheck.Outcome run(ReportThresholds thresholds) {
        return new ReportCheck(stored(thresholds), CLOCK).run(DESIRED);
    }

    private StoredReports stored(ReportThresholds thresholds) {
        return new StoredReports(() -> JdbcReportStore.open(location), thresholds);
    }

    private static CheckResult result(List<CheckResult> results, String subject, String id) {
        return results.stream()
                .filter(r -> r.subject().equals(subject) && r.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " for " + subject + " in " + results));
    }

    private static List<String> lines(List<CheckResult> results) {
        List<String> out = new ArrayList<>();
        for (CheckResult r : results.stream().sorted(CheckResult.ORDER).toList()) {
            out.add(r.status() + " " + r.subject() + " " + r.id() + ": " + r.message());
        }
        return out;
    }

    private static Instant daysAgo(int days) {
        return NOW.minus(Duration.ofDays(days));
    }

    private void store(String organization, Instant end, PolicyReport policy) throws Exception {
        TlsReport report = new TlsReport(
                organization, end.minus(Duration.ofDays(1)), end, Optional.empty(), "r" + reports++, List.of(policy));
        try (ReportStore store = JdbcReportStore.open(location)) {
            store.store(new ParsedReport(report, List.of()), "test", end);
        }
    }

    private static PolicyReport sts(String domain, long successful, FailureDetail... failures) {
        long failed = 0;
        for (FailureDetail f : failures) {
            failed += f.failedSessionCount();
        }
        return new PolicyReport(
                PolicyReport.STS,
                List.of("version: STSv1", "mode: enforce", "mx: mx1.example.com", "mx: mx2.example.com"),
                domain,
                List.of("mx1.example.com", "mx2.example.com"),
                successful,
                failed,
                List.of(failures));
    }

    private static PolicyReport tlsa(String domain, List<String> mxHosts, long successful, long failed) {
        return new PolicyReport(
                PolicyReport.TLSA,
                List.of("3 1 1 aa"),
                domain,
                mxHosts,
                successful,
                failed,
                failed == 0 ? List.of() : List.of(failure("tlsa-invalid", failed)));
    }

    private static FailureDetail failure(String resultType, long sessions) {
        return new FailureDetail(
                resultType,
                Optional.of("192.0.2.1"),
                Optional.of("mx1.example.com"),
                Optional.empty(),
                Optional.of("198.51.100.25"),
                sessions,
                Optional.empty(),
                Optional.empty());
    }
}
