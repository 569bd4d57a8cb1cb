package org.mxpolicy.transparency;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mxpolicy.history.HistoryException;

/**
 * The port to the verdicts of earlier reports (the report store, {@code store.JdbcPartnerHistory}),
 * so that a partner that loses DANE or drops below the guideline shows as a change. Recording is
 * idempotent per partner: the same verdict again moves its last-seen time on; another one closes
 * the current one at {@code at} and opens a new one.
 */
public interface VerdictHistory {

    /**
     * Records the verdicts of a report made at {@code at}, in one transaction, and returns per
     * partner domain since when its verdict holds and what it was before.
     *
     * @throws HistoryException the store cannot be reached or refused the write
     */
    Map<String, PartnerHistory> record(Collection<PartnerVerdict> verdicts, Instant at) throws HistoryException;

    /** No history: every partner is seen for the first time. */
    static VerdictHistory none() {
        return (verdicts, at) -> {
            Map<String, PartnerHistory> result = new LinkedHashMap<>();
            for (PartnerVerdict verdict : verdicts) {
                result.put(verdict.domain(), PartnerHistory.firstSeen(at));
            }
            return result;
        };
    }
}
