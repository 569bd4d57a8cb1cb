package org.mxpolicy.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mxpolicy.scan.Verdict;

/** Sums a domain's findings up per TR-03108 requirement. */
final class RequirementTable {

    /** At most so many deciding findings are named in a row; the rest are counted. */
    private static final int NAMED = 3;

    private RequirementTable() {}

    static List<RequirementVerdict> of(List<AuditFinding> findings, boolean ownEndpoints) {
        List<RequirementVerdict> rows = new ArrayList<>();
        for (Requirement requirement : Requirement.values()) {
            List<AuditFinding> mine = findings.stream()
                    .filter(f -> f.finding().requirement().equals(requirement.id()))
                    .toList();
            rows.add(row(requirement, mine, ownEndpoints, findings));
        }
        return rows;
    }

    /** FAIL before UNKNOWN before WARN before PASS before NOT_APPLICABLE. */
    static int rank(Verdict verdict) {
        return switch (verdict) {
            case FAIL -> 4;
            case UNKNOWN -> 3;
            case WARN -> 2;
            case PASS -> 1;
            case NOT_APPLICABLE -> 0;
        };
    }

    private static RequirementVerdict row(
            Requirement requirement, List<AuditFinding> mine, boolean ownEndpoints, List<AuditFinding> all) {
        if (mine.isEmpty()) {
            // What could not be looked up is unknown, not inapplicable.
            boolean lookupFailed = all.stream()
                    .anyMatch(f -> f.finding().check().equals("mx.rrset")
                            && f.finding().verdict() == Verdict.UNKNOWN);
            boolean clientSide =
                    requirement == Requirement.CLIENT_TLS || requirement == Requirement.CLIENT_TLS_COMPATIBILITY;
            return new RequirementVerdict(
                    requirement,
                    lookupFailed && !clientSide ? Verdict.UNKNOWN : Verdict.NOT_APPLICABLE,
                    whyNothing(requirement, ownEndpoints, all));
        }
        Verdict worst = Verdict.NOT_APPLICABLE;
        for (AuditFinding f : mine) {
            if (rank(f.finding().verdict()) > rank(worst)) {
                worst = f.finding().verdict();
            }
        }
        Verdict decided = worst;
        List<AuditFinding> deciding =
                mine.stream().filter(f -> f.finding().verdict() == decided).toList();
        if (decided == Verdict.PASS && deciding.size() > 1) {
            return new RequirementVerdict(
                    requirement, decided, deciding.size() + " checks pass (" + checks(deciding) + ")");
        }
        List<String> named = new ArrayList<>();
        for (AuditFinding f : deciding.subList(0, Math.min(NAMED, deciding.size()))) {
            named.add(f.subject() + ": " + f.finding().check() + ": "
                    + f.finding().evidence());
        }
        if (deciding.size() > NAMED) {
            named.add("and " + (deciding.size() - NAMED) + " more");
        }
        return new RequirementVerdict(requirement, decided, String.join("; ", named));
    }

    private static String checks(List<AuditFinding> findings) {
        return String.join(
                ", ", findings.stream().map(f -> f.finding().check()).distinct().toList());
    }

    private static String whyNothing(Requirement requirement, boolean ownEndpoints, List<AuditFinding> all) {
        if ((requirement == Requirement.CLIENT_TLS || requirement == Requirement.CLIENT_TLS_COMPATIBILITY)
                && !ownEndpoints) {
            return "client endpoints are audited for own domains only (-c)";
        }
        // A domain that accepts no mail (null MX) or could not be looked up has nothing else judged.
        for (AuditFinding f : all) {
            if (f.finding().check().equals("mx.rrset") && f.finding().verdict() != Verdict.PASS) {
                return "not judged: " + f.finding().evidence();
            }
        }
        if (requirement == Requirement.OUTBOUND_MTA_STS) {
            return "no MTA-STS policy to fetch";
        }
        return "nothing to judge for " + requirement.title().toLowerCase(Locale.ROOT);
    }
}
