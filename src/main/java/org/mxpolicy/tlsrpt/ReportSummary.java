package org.mxpolicy.tlsrpt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the stored reports say per domain, policy type and MX host: sessions, the failure rate,
 * and the failures by result type and by the organisation that reported them. Pure: the store
 * does the counting, this puts the counts together in a stable order.
 */
public final class ReportSummary {

    private ReportSummary() {}

    /**
     * One line of the summary.
     *
     * @param mxHosts the policy's mx-host entries, sorted, separated by spaces; empty for
     *     {@code no-policy-found}
     * @param byResultType failed sessions per result type, most first
     * @param byOrganization failed sessions per reporting organisation, most first
     */
    public record Group(
            String domain,
            String policyType,
            String mxHosts,
            long successful,
            long failed,
            long reports,
            Instant firstSeen,
            Instant lastSeen,
            Map<String, Long> byResultType,
            Map<String, Long> byOrganization) {

        public Group {
            byResultType = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byResultType));
            byOrganization = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byOrganization));
        }

        /** Failed sessions over all sessions, 0 when there were none. */
        public double failureRate() {
            long total = successful + failed;
            return total == 0 ? 0 : (double) failed / total;
        }
    }

    /** The groups, ordered by domain, policy type and MX hosts. */
    public static List<Group> of(ReportStore.SummaryData data) {
        Map<List<String>, Map<String, Long>> types = new TreeMap<>(ReportSummary::compareKeys);
        Map<List<String>, Map<String, Long>> orgs = new TreeMap<>(ReportSummary::compareKeys);
        for (ReportStore.FailureTotal f : data.failures()) {
            List<String> key = List.of(f.domain(), f.policyType(), f.mxHosts());
            types.computeIfAbsent(key, k -> new TreeMap<>()).merge(f.resultType(), f.sessions(), Long::sum);
            orgs.computeIfAbsent(key, k -> new TreeMap<>()).merge(f.organization(), f.sessions(), Long::sum);
        }
        List<Group> groups = new ArrayList<>();
        for (ReportStore.PolicyTotal t : data.totals()) {
            List<String> key = List.of(t.domain(), t.policyType(), t.mxHosts());
            groups.add(new Group(
                    t.domain(),
                    t.policyType(),
                    t.mxHosts(),
                    t.successful(),
                    t.failed(),
                    t.reports(),
                    t.firstSeen(),
                    t.lastSeen(),
                    mostFirst(types.getOrDefault(key, Map.of())),
                    mostFirst(orgs.getOrDefault(key, Map.of()))));
        }
        groups.sort(Comparator.comparing(Group::domain)
                .thenComparing(Group::policyType)
                .thenComparing(Group::mxHosts));
        return groups;
    }

    private static int compareKeys(List<String> a, List<String> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    /** Counts, largest first, ties by name, so two runs print the same. */
    private static Map<String, Long> mostFirst(Map<String, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(Objects.requireNonNull(e.getKey()), e.getValue()));
        return out;
    }
}
