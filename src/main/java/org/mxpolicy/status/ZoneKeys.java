package org.mxpolicy.status;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.keyroll.KeyStatus;

/**
 * The DNSSEC keys of a zone with a key policy, as the last {@code keys run} left them: each key's
 * timing from its key file and where it stands by what that run saw.
 *
 * @param seen when the last {@code keys run} saved what it saw of the zone; empty before the first
 * @param keys every key of the zone
 */
public record ZoneKeys(String zone, Optional<Instant> seen, List<ZoneKeys.Key> keys) {

    public ZoneKeys {
        keys = List.copyOf(keys);
    }

    /**
     * One key.
     *
     * @param status its phase and next event, as {@code keys status} words them
     * @param events its timing so far and planned (publish, activate, inactive, delete), by time
     */
    public record Key(KeyStatus status, List<Event> events) {

        public Key {
            events = List.copyOf(events);
        }
    }

    /** A time of a key's timing: {@code publish}, {@code activate}, {@code inactive}, {@code delete}. */
    public record Event(String what, Instant at) {}
}
