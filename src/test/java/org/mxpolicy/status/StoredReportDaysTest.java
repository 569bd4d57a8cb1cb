package org.mxpolicy.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.tlsrpt.ParsedReport;
import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.ReportStoreException;

/** Sessions per day from a store that sums the reports ending at or after a time, as the JDBC store does. */
class StoredReportDaysTest {

    /** A report of one domain: when its period ends and its sessions. */
    record Report(String domain, Instant end, long successful, long failed) {}

    static final class SummingStore implements ReportStore {
        final List<Report> reports = new ArrayList<>();
        int summaries;

        @Override
        public Outcome store(ParsedReport report, String source, Instant received) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SummaryData summary(Instant since, Optional<String> domain) {
            summaries++;
            List<PolicyTotal> totals = new ArrayList<>();
            for (Report r : reports) {
                if (!r.end().isBefore(since) && domain.map(r.domain()::equals).orElse(true)) {
                    totals.add(new PolicyTotal(
                            r.domain(), "sts", "mx1.example.com", r.successful(), r.failed(), 1, r.end(), r.end()));
                }
            }
            return new SummaryData(totals, List.of());
        }

        @Override
        public List<LastReport> lastReports() {
            return List.of();
        }

        @Override
        public List<PolicyStringUse> policyStrings(Instant since, Optional<String> domain) {
            return List.of();
        }

        @Override
        public int prune(Instant before) {
            return 0;
        }

        @Override
        public void close() {}
    }

    private static final Instant NOW = StatusFixtures.NOW; // 2026-12-07T23:00:00Z

    @Test
    void eachReportCountsOnTheDayItsPeriodEndsAndOlderDaysAreLeftOut() {
        SummingStore store = new SummingStore();
        store.reports.add(new Report("example.com", Instant.parse("2026-12-07T00:00:00Z"), 90, 10));
        store.reports.add(new Report("example.com", Instant.parse("2026-12-06T23:59:59Z"), 40, 0));
        store.reports.add(new Report("example.com", Instant.parse("2026-12-06T10:00:00Z"), 5, 2));
        store.reports.add(new Report("example.com", Instant.parse("2026-11-01T00:00:00Z"), 1000, 1000));
        store.reports.add(new Report("example.net", Instant.parse("2026-12-07T08:00:00Z"), 7, 7));
        ReportDays days = new StoredReportDays(() -> store).days("example.com", NOW);
        assertThat(days.problem()).isEmpty();
        assertThat(days.days()).hasSize(ReportDays.DAYS);
        assertThat(days.days().get(0).date()).isEqualTo("2026-11-24");
        ReportDays.Day today = days.days().get(13);
        assertThat(today.date()).isEqualTo("2026-12-07");
        assertThat(today.successful()).isEqualTo(90);
        assertThat(today.failed()).isEqualTo(10);
        ReportDays.Day yesterday = days.days().get(12);
        assertThat(yesterday.successful()).isEqualTo(45);
        assertThat(yesterday.failed()).isEqualTo(2);
        assertThat(days.days().subList(0, 12)).allMatch(d -> d.successful() == 0 && d.failed() == 0);
        // the largest day fills the plot; its failed part sits on its successful part
        assertThat(today.okHeight() + today.failedHeight()).isEqualTo(ReportDays.PLOT);
        assertThat(today.failedY() + today.failedHeight()).isEqualTo(today.okY());
    }

    @Test
    void aDomainsDaysAreReadAgainOnlyAfterTenMinutes() {
        SummingStore store = new SummingStore();
        StoredReportDays days = new StoredReportDays(() -> store);
        days.days("example.com", NOW);
        int reads = store.summaries;
        days.days("example.com", NOW.plus(Duration.ofMinutes(9)));
        assertThat(store.summaries).isEqualTo(reads);
        days.days("example.com", NOW.plus(Duration.ofMinutes(10)));
        assertThat(store.summaries).isEqualTo(2 * reads);
    }

    @Test
    void anUnreachableStoreIsSaidOnThePage() throws Exception {
        StoredReportDays days = new StoredReportDays(() -> {
            throw new ReportStoreException("connection refused <b>", null);
        });
        StatusSite site = StatusPagesGoldenTest.site().withReports(days);
        String html = site.domain("example.com").html();
        assertThat(html).contains("the report store cannot be read: connection refused &lt;b&gt;");

        SummingStore store = new SummingStore();
        store.reports.add(new Report("example.com", Instant.parse("2026-12-07T00:00:00Z"), 90, 10));
        String withCounts = StatusPagesGoldenTest.site()
                .withReports(new StoredReportDays(() -> store))
                .domain("example.com")
                .html();
        assertThat(withCounts)
                .contains("<h2 id=\"reports-h\">TLS reports</h2>")
                .contains("<tr><th scope=\"row\">2026-12-07</th><td>90</td><td>10</td></tr>")
                .contains("<title>2026-12-07: 10 failed</title>");
        assertThat(StatusPagesGoldenTest.site().domain("example.com").html()).doesNotContain("TLS reports");
    }
}
