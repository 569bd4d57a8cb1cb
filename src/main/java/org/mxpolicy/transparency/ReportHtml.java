package org.mxpolicy.transparency;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mxpolicy.zone.Templates;

/**
 * The report as one self-contained HTML page for customers, through the Freemarker template
 * {@code templates/transparency/report.ftlh}: HTML output format, so every value is escaped; no
 * script, no external style sheet, font or image. The model holds strings, numbers and lists
 * only, so the template decides nothing but the layout.
 */
public final class ReportHtml {

    static final String TEMPLATE = "transparency/report.ftlh";

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private ReportHtml() {}

    public static String render(TransparencyReport report) {
        return Templates.render(TEMPLATE, model(report));
    }

    static Map<String, Object> model(TransparencyReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generated", MINUTE.format(report.generated()));
        m.put("rules", report.rules());
        m.put("partnerCount", report.partners().size());
        m.put("meetCount", report.meeting());
        m.put("audited", report.audited());
        m.put("logged", report.log().isPresent());
        List<Map<String, Object>> partners = new ArrayList<>();
        for (TransparencyReport.Entry entry : report.partners()) {
            partners.add(partner(entry, report.generated()));
        }
        m.put("partners", partners);
        List<Map<String, Object>> changes = new ArrayList<>();
        for (TransparencyReport.Entry entry : report.changed()) {
            PastVerdict before = entry.history().previous().orElseThrow();
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("domain", entry.verdict().domain());
            c.put("changes", entry.verdict().state().changesFrom(before.state()));
            c.put("before", DAY.format(before.from()));
            c.put("worse", worse(before.state(), entry.verdict().state()));
            changes.add(c);
        }
        m.put("changes", changes);
        List<Map<String, Object>> levels = new ArrayList<>();
        for (TlsLevel level : TlsLevel.values()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("key", level.key());
            l.put("word", level == TlsLevel.PLAINTEXT ? "none" : level.postfixWord());
            l.put("meaning", level.meaning());
            levels.add(l);
        }
        m.put("levels", levels);
        List<Map<String, Object>> days = new ArrayList<>();
        report.perDay().forEach((day, counts) -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("date", day.toString());
            List<Long> values = new ArrayList<>();
            for (TlsLevel level : TlsLevel.values()) {
                values.add(counts.getOrDefault(level, 0L));
            }
            d.put("counts", values);
            d.put("total", values.stream().mapToLong(Long::longValue).sum());
            days.add(d);
        });
        m.put("days", days);
        Map<String, Object> log = new LinkedHashMap<>();
        report.log().ifPresent(l -> {
            log.put(
                    "period",
                    l.first().map(Object::toString).orElse("")
                            + (l.first().isPresent() ? " to " : "")
                            + l.last().map(Object::toString).orElse(""));
            log.put("lines", l.reading().lines());
            log.put("bad", l.reading().badLines());
            log.put("deliveries", l.reading().deliveries());
        });
        m.put("log", log);
        return m;
    }

    private static Map<String, Object> partner(TransparencyReport.Entry entry, Instant generated) {
        PartnerVerdict v = entry.verdict();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("domain", v.domain());
        p.put("meets", assessment(v.meets()));
        p.put("dane", assessment(v.dane()));
        p.put("tls", assessment(v.tls()));
        p.put("mtaSts", assessment(v.mtaSts()));
        p.put("dnssec", assessment(v.dnssec()));
        p.put("since", DAY.format(entry.history().since()));
        p.put("changed", entry.history().changedAt(generated));
        List<Long> counts = new ArrayList<>();
        v.traffic().ifPresent(t -> {
            for (TlsLevel level : TlsLevel.values()) {
                counts.add(t.deliveredAt(level));
            }
            counts.add(t.notDelivered());
        });
        p.put("counts", counts);
        return p;
    }

    private static Map<String, Object> assessment(Assessment a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", a.state().key());
        m.put("label", a.state().label());
        m.put("evidence", a.evidence());
        return m;
    }

    /** A partner that met the guideline or had DANE and no longer does. */
    private static boolean worse(VerdictState before, VerdictState now) {
        return (before.meets() == Assessment.State.MET && now.meets() != Assessment.State.MET)
                || (before.dane() == Assessment.State.MET && now.dane() == Assessment.State.NOT_MET);
    }
}
