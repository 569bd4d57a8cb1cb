package org.mxpolicy.check;

import java.time.Duration;
import java.util.List;
import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.ReportSummary;

/**
 * What the stored reports of the config's domains say over the window, for monitoring.
 *
 * @param groups sessions and failures per domain, policy type and MX host, in that order
 * @param lastReports when the latest report of each domain ended, in domain order
 */
public record ReportMetrics(
        Duration window, List<ReportSummary.Group> groups, List<ReportStore.LastReport> lastReports) {

    public ReportMetrics {
        groups = List.copyOf(groups);
        lastReports = List.copyOf(lastReports);
    }
}
