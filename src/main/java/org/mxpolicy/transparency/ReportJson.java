package org.mxpolicy.transparency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report as JSON, for scripts and for publishing beside the HTML. Keys are stable. */
public final class ReportJson {

    private ReportJson() {}

    /** The report in {@code writer}'s layout (the project's {@code files.JsonLayout}). */
    public static String render(TransparencyReport report, ObjectWriter writer) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("generated", report.generated().toString());
        root.put("rules", report.rules());
        root.put("audited", report.audited());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("partners", report.partners().size());
        summary.put("meet", report.meeting());
        summary.put("changed", report.changed().size());
        root.put("summary", summary);
        List<Object> partners = new ArrayList<>();
        for (TransparencyReport.Entry entry : report.partners()) {
            partners.add(partner(entry, report.generated()));
        }
        root.put("partners", partners);
        report.log().ifPresent(log -> root.put("log", log(log)));
        if (!report.perDay().isEmpty()) {
            List<Object> days = new ArrayList<>();
            report.perDay().forEach((day, counts) -> {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("date", day.toString());
                counts.forEach((level, n) -> d.put(level.key(), n));
                days.add(d);
            });
            root.put("per_day", days);
        }
        try {
            return writer.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report of maps and strings must serialise", e);
        }
    }

    private static Map<String, Object> partner(TransparencyReport.Entry entry, Instant generated) {
        PartnerVerdict verdict = entry.verdict();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("domain", verdict.domain());
        p.put("meets", assessment(verdict.meets()));
        p.put("dane", assessment(verdict.dane()));
        p.put("tls", assessment(verdict.tls()));
        p.put("mta_sts", assessment(verdict.mtaSts()));
        p.put("dnssec", assessment(verdict.dnssec()));
        p.put("since", entry.history().since().toString());
        p.put("changed", entry.history().changedAt(generated));
        entry.history().previous().ifPresent(before -> {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("meets", before.state().meets().key());
            b.put("dane", before.state().dane().key());
            b.put("tls", before.state().tls().key());
            b.put("mta_sts", before.state().mtaSts().key());
            b.put("dnssec", before.state().dnssec().key());
            b.put("from", before.from().toString());
            b.put("until", before.until().toString());
            b.put("changes", verdict.state().changesFrom(before.state()));
            p.put("previous", b);
        });
        verdict.traffic().ifPresent(t -> {
            Map<String, Object> d = new LinkedHashMap<>();
            t.delivered().forEach((level, n) -> d.put(level.key(), n));
            d.put("not_delivered", t.notDelivered());
            d.put("outside_profile", t.outsideProfile());
            d.put("first", date(t.first()));
            d.put("last", date(t.last()));
            d.put("sessions", t.sessions());
            p.put("deliveries", d);
        });
        return p;
    }

    private static Map<String, Object> assessment(Assessment a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", a.state().key());
        m.put("evidence", a.evidence());
        return m;
    }

    private static Map<String, Object> log(TransparencyReport.LogSummary log) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("files", log.files());
        m.put("first", log.first().map(LocalDate::toString).orElse(null));
        m.put("last", log.last().map(LocalDate::toString).orElse(null));
        m.put("lines", log.reading().lines());
        m.put("bad_lines", log.reading().badLines());
        m.put("first_bad_lines", log.reading().firstBadLines());
        m.put("tls_sessions", log.reading().tlsSessions());
        m.put("deliveries", log.reading().deliveries());
        m.put("evicted_sessions", log.reading().evictedSessions());
        return m;
    }

    private static String date(LocalDate day) {
        return day == null ? null : day.toString();
    }
}
