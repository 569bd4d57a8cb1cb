package org.mxpolicy.keyroll;

import java.time.Instant;
import java.util.Optional;
import org.mxpolicy.dnssec.DnssecAlgorithm;
import org.mxpolicy.dnssec.KeyTiming;

/** One change to the key directory that a rollover step makes; carried out in the order given. */
public sealed interface KeyAction {

    /** What the change does, for the log. */
    String describe();

    /** A new key with this timing. */
    record NewKey(KeyRole role, DnssecAlgorithm algorithm, long ttl, KeyTiming timing, String why)
            implements KeyAction {
        @Override
        public String describe() {
            return "new " + role.words() + " (" + algorithm.mnemonic() + ") " + why;
        }
    }

    /** One timing field of an existing key set (or removed, when empty). */
    record SetTime(KeyId key, KeyTiming.Event event, Optional<Instant> time, String why) implements KeyAction {
        @Override
        public String describe() {
            return key + ": " + event.field() + " "
                    + time.map(KeyTiming::format).orElse("removed") + " (" + why + ")";
        }
    }
}
