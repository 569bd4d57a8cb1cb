package org.mxpolicy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mxpolicy.check.ReportMetrics;
import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.ReportSummary;

/**
 * The {@code tlsrpt} member of {@code check --format json}: the TLS report counts a check read,
 * written whole so that {@code check --merge} gives the merged report the same Prometheus samples
 * one unsharded check would have printed.
 */
final class ReportMetricsJson {

    private ReportMetricsJson() {}

    static Map<String, Object> write(ReportMetrics metrics) {
        List<Map<String, Object>> groups = new ArrayList<>();
        for (ReportSummary.Group g : metrics.groups()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("domain", g.domain());
            m.put("policy_type", g.policyType());
            m.put("mx_hosts", g.mxHosts());
            m.put("successful", g.successful());
            m.put("failed", g.failed());
            m.put("reports", g.reports());
            m.put("first_seen", g.firstSeen().toString());
            m.put("last_seen", g.lastSeen().toString());
            m.put("by_result_type", g.byResultType());
            m.put("by_organization", g.byOrganization());
            groups.add(m);
        }
        List<Map<String, Object>> last = new ArrayList<>();
        for (ReportStore.LastReport r : metrics.lastReports()) {
            last.add(Map.of("domain", r.domain(), "end", r.end().toString()));
        }
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("window_seconds", metrics.window().toSeconds());
        top.put("groups", groups);
        top.put("last_reports", last);
        return top;
    }

    /**
     * The member read back; empty when the check read no reports.
     *
     * @throws IllegalArgumentException when it is there but not what {@link #write} writes
     */
    static Optional<ReportMetrics> read(JsonNode top) {
        JsonNode node = top.path("tlsrpt");
        if (node.isMissingNode() || node.isNull()) {
            return Optional.empty();
        }
        if (!node.path("window_seconds").canConvertToLong()
                || !node.path("groups").isArray()
                || !node.path("last_reports").isArray()) {
            throw new IllegalArgumentException("its tlsrpt member is not window_seconds, groups and last_reports");
        }
        List<ReportSummary.Group> groups = new ArrayList<>();
        for (JsonNode g : node.path("groups")) {
            groups.add(new ReportSummary.Group(
                    CheckMerge.text(g, "domain"),
                    CheckMerge.text(g, "policy_type"),
                    CheckMerge.text(g, "mx_hosts"),
                    count(g, "successful"),
                    count(g, "failed"),
                    count(g, "reports"),
                    Instant.parse(CheckMerge.text(g, "first_seen")),
                    Instant.parse(CheckMerge.text(g, "last_seen")),
                    counts(g, "by_result_type"),
                    counts(g, "by_organization")));
        }
        List<ReportStore.LastReport> last = new ArrayList<>();
        for (JsonNode r : node.path("last_reports")) {
            last.add(
                    new ReportStore.LastReport(CheckMerge.text(r, "domain"), Instant.parse(CheckMerge.text(r, "end"))));
        }
        return Optional.of(
                new ReportMetrics(Duration.ofSeconds(node.path("window_seconds").asLong()), groups, last));
    }

    private static long count(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.canConvertToLong() || value.asLong() < 0) {
            throw new IllegalArgumentException("a tlsrpt entry has no count " + field);
        }
        return value.asLong();
    }

    /** Kept in the file's order, which is the writer's (most first). */
    private static Map<String, Long> counts(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isObject()) {
            throw new IllegalArgumentException("a tlsrpt entry has no " + field);
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) value::fields) {
            counts.put(e.getKey(), count(value, e.getKey()));
        }
        return counts;
    }
}
