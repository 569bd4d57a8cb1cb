package org.mxpolicy.dnssec;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * When signatures start and end, when they are renewed, which denial-of-existence chain the zone
 * gets and how its serial moves.
 *
 * <p>Signatures made at time {@code now} are valid from {@code now - inceptionOffset} (so that
 * validators with a slow clock accept them) until {@code now + validity - j}, where {@code j} is
 * between 0 and {@code jitter}, derived from the RRset's owner and type: expirations spread out,
 * so later runs renew a share of the zone each rather than all of it at once, and the same input at
 * the same time gives the same output. A signature is renewed when less than {@code refresh}
 * remains of it. The defaults are close to BIND's and Knot's: one hour back, 14 days, 1 day of
 * jitter, renew in the last 7 days.
 *
 * @param inceptionOffset how far before {@code now} signatures become valid
 * @param validity the longest validity of a new signature
 * @param jitter up to this much is taken off a new signature's validity
 * @param refresh signatures with less than this left are replaced
 * @param denial NSEC or NSEC3
 * @param serialFormat how the SOA serial advances
 * @param dnskeyTtl TTL of the DNSKEY RRset; empty: the smallest TTL of the keys' DNSKEY records
 * @param maxZoneTtl the largest TTL a signed RRset may have: a key policy's {@code max_zone_ttl},
 *     which its rollovers wait for before a retired key goes; empty: any
 */
public record SigningPolicy(
        Duration inceptionOffset,
        Duration validity,
        Duration jitter,
        Duration refresh,
        Denial denial,
        SerialFormat serialFormat,
        OptionalLong dnskeyTtl,
        Optional<Duration> maxZoneTtl) {

    /** The chain that proves which names and types do not exist. */
    public enum Denial {
        /** RFC 4034 section 4. */
        NSEC,
        /** RFC 5155, with RFC 9276's parameters: SHA-1, no extra iterations, no salt, no opt-out. */
        NSEC3
    }

    public static final Duration DEFAULT_INCEPTION_OFFSET = Duration.ofHours(1);
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(14);
    public static final Duration DEFAULT_JITTER = Duration.ofDays(1);
    public static final Duration DEFAULT_REFRESH = Duration.ofDays(7);

    public SigningPolicy {
        Objects.requireNonNull(inceptionOffset, "inceptionOffset");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(jitter, "jitter");
        Objects.requireNonNull(refresh, "refresh");
        Objects.requireNonNull(denial, "denial");
        Objects.requireNonNull(serialFormat, "serialFormat");
        Objects.requireNonNull(dnskeyTtl, "dnskeyTtl");
        Objects.requireNonNull(maxZoneTtl, "maxZoneTtl");
        if (inceptionOffset.isNegative() || jitter.isNegative() || refresh.isNegative()) {
            throw new IllegalArgumentException("inception offset, jitter and refresh must not be negative");
        }
        if (refresh.plus(jitter).compareTo(validity) >= 0) {
            // otherwise a new signature would be due for renewal the moment it is made
            throw new IllegalArgumentException("validity (" + validity + ") must be longer than refresh (" + refresh
                    + ") plus jitter (" + jitter + ")");
        }
        if (dnskeyTtl.isPresent() && (dnskeyTtl.getAsLong() < 0 || dnskeyTtl.getAsLong() > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException(
                    "DNSKEY TTL " + dnskeyTtl.getAsLong() + " is outside 0.." + Integer.MAX_VALUE);
        }
    }

    /** The defaults, with NSEC and the increment serial format. */
    public static SigningPolicy defaults() {
        return new SigningPolicy(
                DEFAULT_INCEPTION_OFFSET,
                DEFAULT_VALIDITY,
                DEFAULT_JITTER,
                DEFAULT_REFRESH,
                Denial.NSEC,
                SerialFormat.INCREMENT,
                OptionalLong.empty(),
                Optional.empty());
    }

    public SigningPolicy withDenial(Denial d) {
        return new SigningPolicy(inceptionOffset, validity, jitter, refresh, d, serialFormat, dnskeyTtl, maxZoneTtl);
    }
}
