package org.mxpolicy.tlsrpt;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.history.PublicationHistory;

/**
 * Where reports are kept: the port the mail intake writes through, and {@link ReportSummary}
 * and {@code check} read from. Storing is idempotent by the organisation and report id, so a report delivered
 * twice, or ingested again after a crash, is counted once.
 */
public interface ReportStore extends AutoCloseable {

    /** What became of a report handed to {@link #store}. */
    enum Outcome {
        STORED,
        /** A report with the same organisation and report id is stored already; nothing changed. */
        DUPLICATE
    }

    /**
     * Stores a report in one transaction.
     *
     * @param source where it came from (a message id or file name), kept for the operator
     * @param received when it arrived
     * @throws ReportStoreException the store cannot be reached or refused the write
     */
    Outcome store(ParsedReport report, String source, Instant received) throws ReportStoreException;

    /**
     * The session counts of the reports whose period ends at or after {@code since}, one row per
     * domain, policy type and MX host, and their failures by result type and organisation.
     */
    SummaryData summary(Instant since, Optional<String> domain) throws ReportStoreException;

    /**
     * For every policy domain the store holds reports for, when the latest of them ended; in
     * domain order. {@code check} tells from it a domain whose reports stopped arriving.
     */
    List<LastReport> lastReports() throws ReportStoreException;

    /**
     * What explaining the failures of the window needs beyond the summary (which brings the MX
     * hosts failures were reported at): the policy-strings senders used, per group and
     * organisation.
     */
    List<PolicyStringUse> policyStrings(Instant since, Optional<String> domain) throws ReportStoreException;

    /**
     * The history of published and observed record sets kept in the same place; none unless the
     * store keeps one.
     */
    default PublicationHistory history() {
        return PublicationHistory.none();
    }

    /** Deletes the reports whose period ended before {@code before}; returns how many. */
    int prune(Instant before) throws ReportStoreException;

    @Override
    void close();

    /**
     * What the store hands to {@link ReportSummary}: totals and failures, grouped by the store,
     * and the failures by receiving MX host for the explanations (read in the same pass).
     */
    record SummaryData(List<PolicyTotal> totals, List<FailureTotal> failures, List<FailureHost> failureHosts) {
        public SummaryData {
            totals = List.copyOf(totals);
            failures = List.copyOf(failures);
            failureHosts = List.copyOf(failureHosts);
        }

        public SummaryData(List<PolicyTotal> totals, List<FailureTotal> failures) {
            this(totals, failures, List.of());
        }
    }

    /**
     * Sessions of one domain, policy type and MX host over the reports of the window.
     *
     * @param mxHosts the policy's mx-host entries, sorted, separated by spaces
     * @param firstSeen the earliest start of a report counted
     * @param lastSeen the latest end of a report counted
     */
    record PolicyTotal(
            String domain,
            String policyType,
            String mxHosts,
            long successful,
            long failed,
            long reports,
            Instant firstSeen,
            Instant lastSeen) {}

    /** Failed sessions of one group by result type and sending organisation. */
    record FailureTotal(
            String domain, String policyType, String mxHosts, String resultType, String organization, long sessions) {}

    /** The policy-strings and failure hosts of a window: what {@link FailureExplainer} weighs. */
    record FailureEvidence(List<PolicyStringUse> policyStrings, List<FailureHost> failureHosts) {
        public FailureEvidence {
            policyStrings = List.copyOf(policyStrings);
            failureHosts = List.copyOf(failureHosts);
        }

        public static FailureEvidence none() {
            return new FailureEvidence(List.of(), List.of());
        }
    }

    /**
     * The sessions one organisation reported under one policy-string of a group.
     *
     * @param policyString the report's policy-string lines, separated by line feeds
     * @param failuresStart the earliest start of a report with failed sessions
     * @param firstFailuresEnd the earliest end of a report with failed sessions
     * @param lastFailuresStart the latest start of a report with failed sessions
     */
    record PolicyStringUse(
            String domain,
            String policyType,
            String mxHosts,
            String policyString,
            String organization,
            long successful,
            long failed,
            Optional<Instant> failuresStart,
            Optional<Instant> firstFailuresEnd,
            Optional<Instant> lastFailuresStart) {}

    /**
     * Failed sessions of a group at one receiving MX host ({@code receiving-mx-hostname}, lower
     * case without the trailing dot; empty when the reporter did not name it) by organisation.
     */
    record FailureHost(
            String domain, String policyType, String mxHosts, String receivingMx, String organization, long sessions) {}

    /** The end of the latest stored report of one policy domain. */
    record LastReport(String domain, Instant end) {}
}
