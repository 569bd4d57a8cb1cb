package org.mxpolicy.files;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Waits for a burst of changes to end before acting once: certbot replaces a certificate and
 * its key one after the other, and a reload between the two would see a certificate with the
 * wrong key. Time is given, never read, so the rule is testable without waiting.
 */
public final class QuietPeriod {

    private final Duration quiet;
    private Instant lastChange;

    public QuietPeriod(Duration quiet) {
        if (quiet.isNegative()) {
            throw new IllegalArgumentException("quiet period must not be negative");
        }
        this.quiet = quiet;
    }

    /** A change was seen at {@code at}. */
    public void changed(Instant at) {
        lastChange = at;
    }

    /** How long to wait until {@link #due} can be true; empty when no change is pending. */
    public Optional<Duration> remaining(Instant now) {
        if (lastChange == null) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, lastChange.plus(quiet));
        return Optional.of(left.isNegative() ? Duration.ZERO : left);
    }

    /**
     * True once, when changes are pending and none came for the quiet period; the pending state
     * is then cleared.
     */
    public boolean due(Instant now) {
        if (lastChange == null || now.isBefore(lastChange.plus(quiet))) {
            return false;
        }
        lastChange = null;
        return true;
    }
}
