package org.mxpolicy.tlsrpt;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One aggregate TLS report as RFC 8460 section 4.4 defines it: who sent it, the period it covers,
 * and one entry per policy the sender applied to the recipient domain.
 *
 * @param organizationName "organization-name": the sender of the report
 * @param start "date-range"."start-datetime"
 * @param end "date-range"."end-datetime"
 * @param contactInfo "contact-info", empty when missing or null
 * @param reportId "report-id": unique per sender; with the organisation it identifies the report
 * @param policies "policies", in report order
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8460#section-4.4">RFC 8460 section 4.4</a>
 */
public record TlsReport(
        String organizationName,
        Instant start,
        Instant end,
        Optional<String> contactInfo,
        String reportId,
        List<PolicyReport> policies) {

    public TlsReport {
        Objects.requireNonNull(organizationName, "organizationName");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(contactInfo, "contactInfo");
        Objects.requireNonNull(reportId, "reportId");
        policies = List.copyOf(policies);
    }

    /** All failed sessions the report counts, over every policy. */
    public long failedSessions() {
        return policies.stream().mapToLong(PolicyReport::failedSessions).sum();
    }
}
