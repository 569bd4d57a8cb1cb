package org.mxpolicy.transparency;

import java.time.Instant;
import java.util.Objects;

/**
 * A verdict a partner had before its current one.
 *
 * @param state the criteria then
 * @param from the first report that found it so
 * @param until the report that found it changed
 */
public record PastVerdict(VerdictState state, Instant from, Instant until) {

    public PastVerdict {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(until, "until");
    }
}
