package org.mxpolicy.keyroll;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Something {@code keys run} saw without a break since {@code since}, on every server and through
 * the validating lookup: the start of the wait before the next step of a rollover. A run that
 * does not see it any more forgets it, and the wait starts over.
 *
 * @param ttl the largest TTL seen of the RRset concerned
 */
public record Sighting(Kind kind, KeyId key, Instant since, Duration ttl) {

    /** What was seen. */
    public enum Kind {
        /** The key's DNSKEY is served by every server of the zone and validates. */
        DNSKEY_SERVED("dnskey_served"),
        /** No server of the zone serves a signature by the key over the SOA or DNSKEY RRset. */
        SIGNATURES_GONE("signatures_gone"),
        /** Every server of the parent serves a DS of the key, and it validates. */
        DS_SERVED("ds_served");

        private final String field;

        Kind(String field) {
            this.field = field;
        }

        /** The name in the state file. */
        public String field() {
            return field;
        }

        public static Kind ofField(String field) {
            for (Kind k : values()) {
                if (k.field.equals(field)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown sighting '" + field + "'");
        }
    }

    public Sighting {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(ttl, "ttl");
    }
}
