package org.mxpolicy.transparency;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Since when a partner's verdict has been what it is, and what it was before.
 *
 * @param since the first report with the current verdict
 * @param previous the verdict before, if the partner had another one
 */
public record PartnerHistory(Instant since, Optional<PastVerdict> previous) {

    public PartnerHistory {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(previous, "previous");
    }

    /** A partner seen for the first time. */
    public static PartnerHistory firstSeen(Instant at) {
        return new PartnerHistory(at, Optional.empty());
    }

    /** Whether the verdict changed with the report made at {@code at}. */
    public boolean changedAt(Instant at) {
        return previous.isPresent() && since.equals(at);
    }
}
