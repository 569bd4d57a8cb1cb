package org.mxpolicy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.mxpolicy.files.JsonLayout;
import org.mxpolicy.tlsrpt.FailureExplanation;
import org.mxpolicy.tlsrpt.GroupKey;
import org.mxpolicy.tlsrpt.ReportSummary;

/** The TLS report summary as text for people, JSON for programs, or CSV for spreadsheets. */
final class ReportsOutput {

    /** The formats of {@code reports summary --format}. */
    enum Format {
        text,
        json,
        csv
    }

    private ReportsOutput() {}

    /** {@code 1 report}, {@code 2 reports}. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** A domain as the store keeps it: lower case, without a trailing dot. */
    static String domainKey(String domain) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }

    /**
     * The summary; {@code explanations} are the history's explanations of the failed groups
     * ({@code tlsrpt.FailureExplainer}).
     */
    static String render(
            List<ReportSummary.Group> groups,
            Map<GroupKey, List<FailureExplanation>> explanations,
            Format format,
            Instant since) {
        return switch (format) {
            case text -> text(groups, explanations, since);
            case json -> json(groups, explanations, since);
            case csv -> csv(groups, explanations);
        };
    }

    private static List<FailureExplanation> of(
            Map<GroupKey, List<FailureExplanation>> explanations, ReportSummary.Group g) {
        return explanations.getOrDefault(GroupKey.of(g), List.of());
    }

    private static String text(
            List<ReportSummary.Group> groups, Map<GroupKey, List<FailureExplanation>> explanations, Instant since) {
        StringBuilder out = new StringBuilder();
        if (groups.isEmpty()) {
            return "no TLS reports whose period ended since " + since + "\n";
        }
        for (ReportSummary.Group g : groups) {
            out.append(g.domain())
                    .append("  ")
                    .append(g.policyType())
                    .append("  ")
                    .append(g.mxHosts().isEmpty() ? "(no mx-host)" : g.mxHosts())
                    .append('\n');
            out.append("  sessions: ")
                    .append(g.successful())
                    .append(" successful, ")
                    .append(g.failed())
                    .append(" failed (")
                    .append(rate(g))
                    .append(" % failed) in ")
                    .append(g.reports())
                    .append(g.reports() == 1 ? " report" : " reports")
                    .append(", ")
                    .append(g.firstSeen())
                    .append(" to ")
                    .append(g.lastSeen())
                    .append('\n');
            if (!g.byResultType().isEmpty()) {
                out.append("  failures by result type: ")
                        .append(counts(g.byResultType()))
                        .append('\n');
                out.append("  failures by organisation: ")
                        .append(counts(g.byOrganization()))
                        .append('\n');
            }
            for (FailureExplanation e : of(explanations, g)) {
                out.append("  explanation [")
                        .append(e.rule())
                        .append("]: ")
                        .append(e.text())
                        .append('\n');
            }
        }
        return out.toString();
    }

    private static String rate(ReportSummary.Group g) {
        return String.format(Locale.ROOT, "%.2f", 100 * g.failureRate());
    }

    private static String counts(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String json(
            List<ReportSummary.Group> groups, Map<GroupKey, List<FailureExplanation>> explanations, Instant since) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("since", since.toString());
        ArrayNode list = root.putArray("groups");
        for (ReportSummary.Group g : groups) {
            ObjectNode o = list.addObject();
            o.put("domain", g.domain());
            o.put("policy_type", g.policyType());
            ArrayNode mx = o.putArray("mx_host");
            for (String host : g.mxHosts().split(" ", -1)) {
                if (!host.isEmpty()) {
                    mx.add(host);
                }
            }
            o.put("successful_sessions", g.successful());
            o.put("failed_sessions", g.failed());
            o.put("failure_rate", g.failureRate());
            o.put("reports", g.reports());
            o.put("first_seen", g.firstSeen().toString());
            o.put("last_seen", g.lastSeen().toString());
            ObjectNode types = o.putObject("failures_by_result_type");
            g.byResultType().forEach(types::put);
            ObjectNode orgs = o.putObject("failures_by_organization");
            g.byOrganization().forEach(orgs::put);
            ArrayNode explained = o.putArray("explanation");
            for (FailureExplanation e : of(explanations, g)) {
                explained.addObject().put("rule", e.rule()).put("text", e.text());
            }
        }
        try {
            return JsonLayout.WRITER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers is always JSON", e);
        }
    }

    private static String csv(List<ReportSummary.Group> groups, Map<GroupKey, List<FailureExplanation>> explanations) {
        StringBuilder out = new StringBuilder(
                "domain,policy_type,mx_host,successful_sessions,failed_sessions,failure_rate,reports,first_seen,"
                        + "last_seen,failures_by_result_type,failures_by_organization,explanation\r\n");
        for (ReportSummary.Group g : groups) {
            List<String> fields = List.of(
                    g.domain(),
                    g.policyType(),
                    g.mxHosts(),
                    Long.toString(g.successful()),
                    Long.toString(g.failed()),
                    String.format(Locale.ROOT, "%.6f", g.failureRate()),
                    Long.toString(g.reports()),
                    g.firstSeen().toString(),
                    g.lastSeen().toString(),
                    pairs(g.byResultType()),
                    pairs(g.byOrganization()),
                    of(explanations, g).stream()
                            .map(e -> e.rule() + ": " + e.text())
                            .collect(Collectors.joining("; ")));
            out.append(fields.stream().map(ReportsOutput::csvField).collect(Collectors.joining(",")))
                    .append("\r\n");
        }
        return out.toString();
    }

    private static String pairs(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(";"));
    }

    /** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
    private static String csvField(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
            return "\"" + field.replace("\"", "\"\"") + "\"";
        }
        return field;
    }
}
