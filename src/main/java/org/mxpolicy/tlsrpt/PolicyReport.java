package org.mxpolicy.tlsrpt;

import java.util.List;
import java.util.Objects;

/**
 * One entry of "policies" (RFC 8460 section 4.4): the policy the sender applied, its session
 * counts, and the details of the failed sessions.
 *
 * @param policyType "policy-type": {@code tlsa}, {@code sts} or {@code no-policy-found}; an
 *     unknown value is kept as it came
 * @param policyStrings "policy-string": the TLSA records or the lines of the MTA-STS policy the
 *     sender used (RFC 8460 section 4.5)
 * @param policyDomain "policy-domain", lower case without a trailing dot
 * @param mxHosts "mx-host": the MX host names or patterns the policy covers, lower case
 * @param successfulSessions "summary"."total-successful-session-count"
 * @param failedSessions "summary"."total-failure-session-count"
 * @param failures "failure-details"
 */
public record PolicyReport(
        String policyType,
        List<String> policyStrings,
        String policyDomain,
        List<String> mxHosts,
        long successfulSessions,
        long failedSessions,
        List<FailureDetail> failures) {

    /** "policy-type" values of RFC 8460 section 4.5. */
    public static final String TLSA = "tlsa";

    public static final String STS = "sts";
    public static final String NO_POLICY_FOUND = "no-policy-found";
    public static final List<String> KNOWN_TYPES = List.of(TLSA, STS, NO_POLICY_FOUND);

    public PolicyReport {
        Objects.requireNonNull(policyType, "policyType");
        Objects.requireNonNull(policyDomain, "policyDomain");
        policyStrings = List.copyOf(policyStrings);
        mxHosts = List.copyOf(mxHosts);
        failures = List.copyOf(failures);
        if (successfulSessions < 0 || failedSessions < 0) {
            throw new IllegalArgumentException("session counts are not negative");
        }
    }
}
