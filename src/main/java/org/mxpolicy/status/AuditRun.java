package org.mxpolicy.status;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The TR-03108 tables of the last saved audit ({@code mxpolicy audit --format json -o}).
 *
 * @param writtenAt when the file was written: the audit writes it when it is done, so this is
 *     when the audit ran (its JSON has no time of its own)
 * @param rules the TLS rules the audit judged by, in words
 * @param domains per domain its requirements, in the audit's order
 */
public record AuditRun(Instant writtenAt, String rules, List<AuditDomain> domains) {

    public AuditRun {
        domains = List.copyOf(domains);
    }

    public Optional<AuditDomain> domain(String name) {
        return domains.stream().filter(d -> d.domain().equals(name)).findFirst();
    }

    /**
     * One domain of the audit.
     *
     * @param status the audit's status of the domain, as {@code check} words it
     * @param requirements each requirement the audit judges, in TR order
     */
    public record AuditDomain(String domain, Level status, List<RequirementRow> requirements) {

        public AuditDomain {
            requirements = List.copyOf(requirements);
        }

        /** The row of a requirement ({@code 05-M}); unknown when the audit's table has none. */
        public RequirementRow row(String id) {
            return requirements.stream()
                    .filter(r -> r.id().equals(id))
                    .findFirst()
                    .orElse(new RequirementRow(id, "", "unknown", Level.UNKNOWN, "not in this domain's table"));
        }
    }

    /**
     * One requirement of a domain.
     *
     * @param id {@code 05-M}
     * @param verdict {@code pass}, {@code fail}, {@code warn}, {@code unknown} or {@code n/a}:
     *     the word the page shows
     * @param level its colour and sign: a failed MUST requirement is critical, a failed SHOULD
     *     requirement a warning, as the audit's status counts them
     * @param evidence the findings that decided it
     */
    public record RequirementRow(String id, String title, String verdict, Level level, String evidence) {

        /** A level for a verdict of the audit's JSON ({@code not_applicable}, ...). */
        static RequirementRow of(String id, String title, String verdict, String evidence) {
            return switch (verdict) {
                case "pass" -> new RequirementRow(id, title, "pass", Level.OK, evidence);
                case "warn" -> new RequirementRow(id, title, "warn", Level.WARNING, evidence);
                case "unknown" -> new RequirementRow(id, title, "unknown", Level.UNKNOWN, evidence);
                case "not_applicable" -> new RequirementRow(id, title, "n/a", Level.NONE, evidence);
                case "fail" ->
                    new RequirementRow(id, title, "fail", id.endsWith("-M") ? Level.CRITICAL : Level.WARNING, evidence);
                default -> throw new IllegalArgumentException("unknown verdict '" + verdict + "' of " + id);
            };
        }
    }
}
