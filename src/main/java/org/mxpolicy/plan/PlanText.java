package org.mxpolicy.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mxpolicy.zone.RecordText;
import org.mxpolicy.zone.RrsetChange;
import org.xbill.DNS.Record;

/**
 * A plan as people read it, like a diff: {@code +} records added, {@code -} records removed, per
 * RRset with its kind, then the retirements (held or not, by rule) and the refusals.
 */
public final class PlanText {

    private PlanText() {}

    public static List<String> lines(List<ZonePlan> plans) {
        List<String> lines = new ArrayList<>();
        for (ZonePlan plan : plans) {
            String zone = plan.zone().toString();
            if (plan.isEmpty()) {
                lines.add("zone " + zone + ": no changes");
                retirementLines(plan, lines);
                continue;
            }
            lines.add(
                    "zone " + zone + ": " + plan.changes().size() + " change(s)" + (plan.refused() ? ", REFUSED" : ""));
            for (RrsetChange change : plan.changes()) {
                lines.add("  " + change.kind() + " " + change.rrsetName());
                Set<Record> after = new HashSet<>(change.after());
                Set<Record> before = new HashSet<>(change.before());
                boolean ttlOnly = after.equals(before);
                for (Record r : change.before()) {
                    if (ttlOnly || !after.contains(r)) {
                        lines.add("    - " + RecordText.line(r));
                    }
                }
                for (Record r : change.after()) {
                    if (ttlOnly || !before.contains(r)) {
                        lines.add("    + " + RecordText.line(r));
                    }
                }
            }
            retirementLines(plan, lines);
            for (Refusal refusal : plan.refusals()) {
                lines.add("  refused [" + refusal.id() + "]: " + refusal.reason());
            }
        }
        return lines;
    }

    /**
     * One line per retiring RRset: its rule, whether it goes now or is held, and the date it can
     * proceed, e.g. {@code held [retire.mta-sts-withdrawal] _mta-sts.example.org. TXT until ...}.
     */
    private static void retirementLines(ZonePlan plan, List<String> lines) {
        for (Retirement r : plan.retirements()) {
            String when = !r.held() ? "" : r.proceeds().map(t -> " until " + t).orElse(" until its condition ends");
            lines.add("  " + (r.held() ? "held" : "retired") + " [" + r.rule() + "] " + r.rrset() + when + ": "
                    + r.reason());
        }
    }
}
