package org.mxpolicy.cli;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mxpolicy.check.CheckReport;
import org.mxpolicy.check.ReportMetrics;
import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.ReportSummary;

/**
 * The TLS report samples of {@code check --format prometheus}: sessions per domain, policy type
 * and result, failed sessions per result type, over the window of {@code reports.thresholds}.
 * Summed over MX hosts, which RFC 8460 counts per policy and would multiply the series.
 */
final class ReportMetricsText {

    private ReportMetricsText() {}

    static void append(StringBuilder out, CheckReport report) {
        if (report.reports().isEmpty()) {
            return;
        }
        ReportMetrics metrics = report.reports().get();
        Map<List<String>, long[]> sessions = new TreeMap<>(ReportMetricsText::compare);
        Map<List<String>, Long> failures = new TreeMap<>(ReportMetricsText::compare);
        for (ReportSummary.Group g : metrics.groups()) {
            long[] counts = sessions.computeIfAbsent(List.of(g.domain(), g.policyType()), k -> new long[2]);
            counts[0] += g.successful();
            counts[1] += g.failed();
            g.byResultType()
                    .forEach((type, n) -> failures.merge(List.of(g.domain(), g.policyType(), type), n, Long::sum));
        }
        CheckOutput.metric(
                out,
                "mxpolicy_tlsrpt_window_seconds",
                "gauge",
                "The window the TLS report samples cover (reports whose period ended within it).");
        out.append("mxpolicy_tlsrpt_window_seconds ")
                .append(metrics.window().toSeconds())
                .append('\n');
        CheckOutput.metric(
                out,
                "mxpolicy_tlsrpt_sessions",
                "gauge",
                "TLS sessions senders reported over the window, per domain, policy type and result (RFC 8460).");
        sessions.forEach((key, counts) -> {
            sample(out, "mxpolicy_tlsrpt_sessions", key, "successful", counts[0]);
            sample(out, "mxpolicy_tlsrpt_sessions", key, "failed", counts[1]);
        });
        CheckOutput.metric(
                out,
                "mxpolicy_tlsrpt_failed_sessions",
                "gauge",
                "Failed TLS sessions over the window, per domain, policy type and result type (RFC 8460 section 4.3).");
        failures.forEach((key, n) -> out.append("mxpolicy_tlsrpt_failed_sessions{domain=\"")
                .append(CheckOutput.escape(key.get(0)))
                .append("\",policy_type=\"")
                .append(CheckOutput.escape(key.get(1)))
                .append("\",result_type=\"")
                .append(CheckOutput.escape(key.get(2)))
                .append("\"} ")
                .append(n)
                .append('\n'));
        CheckOutput.metric(
                out,
                "mxpolicy_tlsrpt_last_report_timestamp_seconds",
                "gauge",
                "When the latest stored TLS report of a domain ended.");
        for (ReportStore.LastReport last : metrics.lastReports()) {
            out.append("mxpolicy_tlsrpt_last_report_timestamp_seconds{domain=\"")
                    .append(CheckOutput.escape(last.domain()))
                    .append("\"} ")
                    .append(last.end().getEpochSecond())
                    .append('\n');
        }
    }

    private static void sample(StringBuilder out, String name, List<String> key, String result, long value) {
        out.append(name)
                .append("{domain=\"")
                .append(CheckOutput.escape(key.get(0)))
                .append("\",policy_type=\"")
                .append(CheckOutput.escape(key.get(1)))
                .append("\",result=\"")
                .append(result)
                .append("\"} ")
                .append(value)
                .append('\n');
    }

    private static int compare(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
