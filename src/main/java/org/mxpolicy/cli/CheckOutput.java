package org.mxpolicy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.mxpolicy.check.CheckReport;
import org.mxpolicy.check.CheckResult;
import org.mxpolicy.check.CheckStatus;
import org.mxpolicy.check.Expiry;
import org.mxpolicy.finding.MessageText;
import org.mxpolicy.plan.PlanText;
import org.mxpolicy.plan.Refusal;
import org.mxpolicy.plan.ZonePlan;
import org.mxpolicy.zone.RecordText;
import org.mxpolicy.zone.RrsetChange;

/** The three forms of a check report: text for people, JSON for scripts, Prometheus for monitoring. */
enum CheckOutput {
    text {
        @Override
        String render(CheckReport report, boolean quiet, Map<String, Object> provenance) {
            StringBuilder out = new StringBuilder();
            for (CheckResult r : report.results()) {
                if (quiet && r.status() == CheckStatus.OK) {
                    continue;
                }
                out.append(String.format(
                        Locale.ROOT, "%-8s %s: %s [%s]%n", r.status().label(), r.subject(), r.message(), r.id()));
            }
            List<String> plan = PlanText.lines(
                    report.plans().stream().filter(p -> !p.isEmpty()).toList());
            if (!plan.isEmpty()) {
                out.append(System.lineSeparator()).append("Plan:").append(System.lineSeparator());
                plan.forEach(line -> out.append(line).append(System.lineSeparator()));
            }
            out.append(summary(report)).append(System.lineSeparator());
            return out.toString();
        }
    },
    json {
        @Override
        String render(CheckReport report, boolean quiet, Map<String, Object> provenance) {
            Map<String, Object> top = new LinkedHashMap<>();
            top.put("status", report.status().label());
            top.put("exit_code", report.status().exitCode());
            top.put("started_at", report.startedAt().toString());
            top.put("seconds", report.took().toMillis() / 1000.0);
            List<Map<String, Object>> results = new ArrayList<>();
            for (CheckResult r : report.results()) {
                if (quiet && r.status() == CheckStatus.OK) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("status", r.status().label());
                m.put("id", r.id());
                m.put("subject", r.subject());
                m.put("message", r.message());
                results.add(m);
            }
            top.put("results", results);
            top.put("plans", plans(report.plans()));
            List<Map<String, Object>> expiries = new ArrayList<>();
            for (Expiry e : report.expiries()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("kind", e.kind());
                m.put("subject", e.subject());
                m.put("source", e.source());
                m.put("not_after", MessageText.instant(e.notAfter()));
                expiries.add(m);
            }
            top.put("expiries", expiries);
            report.reports().ifPresent(metrics -> top.put("tlsrpt", ReportMetricsJson.write(metrics)));
            top.putAll(provenance);
            try {
                return Json.MAPPER.writeValueAsString(top) + System.lineSeparator();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    },
    /** The node_exporter textfile collector format (Prometheus text exposition 0.0.4). */
    prometheus {
        @Override
        String render(CheckReport report, boolean quiet, Map<String, Object> provenance) {
            StringBuilder out = new StringBuilder();
            metric(
                    out,
                    "mxpolicy_check_status",
                    "gauge",
                    "Overall check status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.");
            out.append("mxpolicy_check_status ")
                    .append(report.status().exitCode())
                    .append('\n');
            metric(out, "mxpolicy_check_results", "gauge", "Check results by status.");
            for (CheckStatus s : CheckStatus.values()) {
                out.append("mxpolicy_check_results{status=\"")
                        .append(s.label().toLowerCase(Locale.ROOT))
                        .append("\"} ")
                        .append(report.count(s))
                        .append('\n');
            }
            metric(
                    out,
                    "mxpolicy_check_subject_status",
                    "gauge",
                    "Worst status per subject (domain, MX host, address, zone): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.");
            Map<String, CheckStatus> worst = new TreeMap<>();
            for (CheckResult r : report.results()) {
                worst.merge(r.subject(), r.status(), CheckStatus::worse);
            }
            worst.forEach((subject, status) -> out.append("mxpolicy_check_subject_status{subject=\"")
                    .append(escape(subject))
                    .append("\"} ")
                    .append(status.exitCode())
                    .append('\n'));
            metric(
                    out,
                    "mxpolicy_certificate_expiry_timestamp_seconds",
                    "gauge",
                    "When a certificate expires, per host and where it was seen (disk or live address).");
            for (Expiry e : report.expiries()) {
                if (e.kind().equals("certificate")) {
                    out.append("mxpolicy_certificate_expiry_timestamp_seconds{host=\"")
                            .append(escape(e.subject()))
                            .append("\",source=\"")
                            .append(escape(e.source()))
                            .append("\"} ")
                            .append(e.notAfter().getEpochSecond())
                            .append('\n');
                }
            }
            metric(
                    out,
                    "mxpolicy_rrsig_expiry_timestamp_seconds",
                    "gauge",
                    "When the earliest RRSIG of an RRset expires, per RRset and server.");
            for (Expiry e : report.expiries()) {
                if (e.kind().equals("signature")) {
                    out.append("mxpolicy_rrsig_expiry_timestamp_seconds{rrset=\"")
                            .append(escape(e.subject()))
                            .append("\",source=\"")
                            .append(escape(e.source()))
                            .append("\"} ")
                            .append(e.notAfter().getEpochSecond())
                            .append('\n');
                }
            }
            metric(out, "mxpolicy_plan_changes", "gauge", "RRset changes the plan would publish, per zone.");
            for (ZonePlan p : report.plans()) {
                out.append("mxpolicy_plan_changes{zone=\"")
                        .append(escape(p.zone().toString()))
                        .append("\"} ")
                        .append(p.changes().size())
                        .append('\n');
            }
            ReportMetricsText.append(out, report);
            metric(out, "mxpolicy_check_last_run_timestamp_seconds", "gauge", "When this check started.");
            out.append("mxpolicy_check_last_run_timestamp_seconds ")
                    .append(report.startedAt().getEpochSecond())
                    .append('\n');
            metric(out, "mxpolicy_check_duration_seconds", "gauge", "How long this check took.");
            out.append("mxpolicy_check_duration_seconds ")
                    .append(String.format(Locale.ROOT, "%.3f", report.took().toMillis() / 1000.0))
                    .append('\n');
            return out.toString();
        }
    };

    /**
     * Made on first use: the command line loads this enum for {@code check --format} on every
     * command, and Jackson's classes took a fifth of the start-up time of {@code mxpolicy --version}.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    String render(CheckReport report, boolean quiet) {
        return render(report, quiet, Map.of());
    }

    /**
     * @param provenance extra top-level JSON members saying which part of the config the report
     *     covers (the shard of a sharded run, the shards of a merged one); other formats leave them out
     */
    abstract String render(CheckReport report, boolean quiet, Map<String, Object> provenance);

    static String summary(CheckReport report) {
        return "mxpolicy check: " + report.status().label() + " (" + report.count(CheckStatus.CRITICAL) + " critical, "
                + report.count(CheckStatus.WARNING) + " warning, " + report.count(CheckStatus.UNKNOWN) + " unknown, "
                + report.count(CheckStatus.OK) + " ok; "
                + String.format(Locale.ROOT, "%.1f", report.took().toMillis() / 1000.0)
                + " s)";
    }

    static List<Map<String, Object>> plans(List<ZonePlan> plans) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ZonePlan plan : plans) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("zone", plan.zone().toString());
            List<Map<String, Object>> changes = new ArrayList<>();
            for (RrsetChange c : plan.changes()) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("kind", c.kind().name());
                change.put("owner", c.owner().toString());
                change.put("type", org.xbill.DNS.Type.string(c.type()));
                change.put("before", c.before().stream().map(RecordText::line).toList());
                change.put("after", c.after().stream().map(RecordText::line).toList());
                changes.add(change);
            }
            m.put("changes", changes);
            List<Map<String, Object>> refusals = new ArrayList<>();
            for (Refusal r : plan.refusals()) {
                Map<String, Object> refusal = new LinkedHashMap<>();
                refusal.put("id", r.id());
                refusal.put("rrset", r.change() == null ? null : r.change().rrsetName());
                refusal.put("reason", r.reason());
                refusals.add(refusal);
            }
            m.put("refusals", refusals);
            out.add(m);
        }
        return out;
    }

    static void metric(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Label values escape backslash, double quote and line feed (exposition format 0.0.4). */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
