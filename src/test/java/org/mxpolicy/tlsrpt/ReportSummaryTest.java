package org.mxpolicy.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportSummaryTest {

    private static final Instant T1 = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant T2 = Instant.parse("2026-12-02T00:00:00Z");

    @Test
    void failuresJoinTheirGroupMostFirstAndGroupsAreInDomainOrder() {
        ReportStore.SummaryData data = new ReportStore.SummaryData(
                List.of(
                        new ReportStore.PolicyTotal("example.org", "sts", "mx.example.org", 10, 0, 1, T1, T2),
                        new ReportStore.PolicyTotal("example.com", "tlsa", "mx1.example.com", 90, 10, 2, T1, T2)),
                List.of(
                        new ReportStore.FailureTotal("example.com", "tlsa", "mx1.example.com", "tlsa-invalid", "B", 3),
                        new ReportStore.FailureTotal(
                                "example.com", "tlsa", "mx1.example.com", "dnssec-invalid", "A", 7)));

        List<ReportSummary.Group> groups = ReportSummary.of(data);

        assertThat(groups).extracting(ReportSummary.Group::domain).containsExactly("example.com", "example.org");
        ReportSummary.Group com = groups.get(0);
        assertThat(com.failureRate()).isEqualTo(0.1);
        assertThat(com.byResultType())
                .containsExactly(java.util.Map.entry("dnssec-invalid", 7L), java.util.Map.entry("tlsa-invalid", 3L));
        assertThat(com.byOrganization()).containsExactly(java.util.Map.entry("A", 7L), java.util.Map.entry("B", 3L));
        assertThat(groups.get(1).byResultType()).isEmpty();
        assertThat(groups.get(1).failureRate()).isZero();
    }
}
