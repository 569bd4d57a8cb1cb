package org.mxpolicy.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TR-03108 page: per requirement how many domains pass, fail, ...; then one page of the
 * domains with each requirement's verdict and evidence.
 *
 * @param freshness when the audit ran, and whether that is too long ago
 * @param counts per requirement the number of domains by verdict
 * @param domains the domains of this page
 * @param page this page, from 1
 * @param pages how many pages there are
 */
public record AuditPage(
        Freshness freshness,
        List<RequirementCount> counts,
        List<AuditRun.AuditDomain> domains,
        int page,
        int pages,
        int total) {

    /** Domains on one page: each brings a table of eight rows with their evidence. */
    static final int PAGE_SIZE = 50;

    /**
     * How the audited domains fare on one requirement.
     *
     * @param verdicts the number of domains per verdict word, in the order pass, fail, warn,
     *     unknown, n/a
     */
    public record RequirementCount(String id, String title, Map<String, Integer> verdicts) {}

    static AuditPage of(AuditRun run, int page, Instant now, Duration staleAfter) {
        Map<String, RequirementCount> counts = new LinkedHashMap<>();
        for (AuditRun.AuditDomain d : run.domains()) {
            for (AuditRun.RequirementRow r : d.requirements()) {
                RequirementCount c =
                        counts.computeIfAbsent(r.id(), id -> new RequirementCount(id, r.title(), verdicts()));
                c.verdicts().merge(r.verdict(), 1, Integer::sum);
            }
        }
        int total = run.domains().size();
        int pages = Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
        int shown = Math.min(Math.max(1, page), pages);
        int from = (shown - 1) * PAGE_SIZE;
        return new AuditPage(
                Freshness.of(run.writtenAt(), now, staleAfter),
                new ArrayList<>(counts.values()),
                run.domains().subList(Math.min(from, total), Math.min(from + PAGE_SIZE, total)),
                shown,
                pages,
                total);
    }

    private static Map<String, Integer> verdicts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String v : List.of("pass", "fail", "warn", "unknown", "n/a")) {
            m.put(v, 0);
        }
        return m;
    }
}
