package org.mxpolicy.plan;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.Name;

/**
 * What this installation published and still owns, zone by zone: the ledger {@code publish} keeps
 * in the state directory. For zones updated by RFC 2136 the {@link OwnershipMarker}s in DNS say
 * the same and rebuild a lost ledger; for zones mxpolicy signs into a file, the ledger is the only
 * record of ownership.
 *
 * @param zones by zone apex
 */
public record OwnershipLedger(SortedMap<Name, OwnedZone> zones) {

    public OwnershipLedger {
        zones = Collections.unmodifiableSortedMap(new TreeMap<>(zones));
    }

    public static OwnershipLedger empty() {
        return new OwnershipLedger(new TreeMap<>());
    }

    public OwnedZone zone(Name zone) {
        return zones.getOrDefault(zone, OwnedZone.EMPTY);
    }

    public OwnershipLedger with(Name zone, OwnedZone owned) {
        SortedMap<Name, OwnedZone> next = new TreeMap<>(zones);
        if (owned.isEmpty()) {
            next.remove(zone);
        } else {
            next.put(zone, owned);
        }
        return new OwnershipLedger(next);
    }

    /** Every MTA-STS withdrawal in progress, in any zone. */
    public java.util.List<Withdrawal> withdrawals() {
        return zones.values().stream()
                .flatMap(z -> z.withdrawals().values().stream())
                .toList();
    }

    /**
     * The owned RRsets of one zone, the terms of the MTA-STS policies whose {@code _mta-sts}
     * record it owns (needed to withdraw them later), and the withdrawals in progress.
     *
     * @param policies by mail domain (lower case, no trailing dot)
     * @param withdrawals by mail domain
     * @param mxCoverage by mail domain with an enforced policy, each MX host its policy covers and
     *     since when a published policy has covered it: senders may hold the previous policy
     *     until that plus {@code max_age} (RFC 8461 section 8.1)
     */
    public record OwnedZone(
            SortedSet<RrsetKey> rrsets,
            SortedMap<String, PolicyTerms> policies,
            SortedMap<String, Withdrawal> withdrawals,
            SortedMap<String, SortedMap<String, Instant>> mxCoverage) {

        public static final OwnedZone EMPTY = new OwnedZone(new TreeSet<>(), new TreeMap<>(), new TreeMap<>());

        public OwnedZone {
            rrsets = Collections.unmodifiableSortedSet(new TreeSet<>(rrsets));
            policies = Collections.unmodifiableSortedMap(new TreeMap<>(policies));
            withdrawals = Collections.unmodifiableSortedMap(new TreeMap<>(withdrawals));
            SortedMap<String, SortedMap<String, Instant>> coverage = new TreeMap<>();
            mxCoverage.forEach((d, hosts) -> coverage.put(d, Collections.unmodifiableSortedMap(new TreeMap<>(hosts))));
            mxCoverage = Collections.unmodifiableSortedMap(coverage);
        }

        public OwnedZone(
                SortedSet<RrsetKey> rrsets,
                SortedMap<String, PolicyTerms> policies,
                SortedMap<String, Withdrawal> withdrawals) {
            this(rrsets, policies, withdrawals, new TreeMap<>());
        }

        public boolean isEmpty() {
            return rrsets.isEmpty() && policies.isEmpty() && withdrawals.isEmpty() && mxCoverage.isEmpty();
        }
    }

    /**
     * What withdrawing an MTA-STS policy needs to know once the config no longer names it.
     *
     * @param maxAge the policy's {@code max_age} in seconds: senders may hold it that long
     * @param cert the certificate file of {@code mta-sts.<domain>}, absolute, if the config named one
     * @param key its private key file, absolute
     */
    public record PolicyTerms(long maxAge, Optional<String> cert, Optional<String> key) {
        public PolicyTerms {
            Objects.requireNonNull(cert, "cert");
            Objects.requireNonNull(key, "key");
        }
    }

    /**
     * An MTA-STS policy being withdrawn (RFC 8461 section 8.3): since {@code started}, the
     * {@code _mta-sts} TXT carries the new {@code id} and {@code mode: none} is served, until
     * {@code started + maxAge}; then both go.
     */
    public record Withdrawal(String domain, Instant started, long maxAge, String id, PolicyTerms terms) {
        public Withdrawal {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(started, "started");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(terms, "terms");
        }

        /**
         * The {@code max_age} of the {@code mode: none} policy: small, one day or the old
         * {@code max_age} if that is shorter (RFC 8461 section 8.3, step 1), so that senders do not
         * hold the withdrawal itself for as long as they held the enforced policy.
         */
        public static final long NONE_MAX_AGE = 86_400;

        /** When the withdrawal is complete and the TXT record and policy may go. */
        public Instant ends() {
            return started.plusSeconds(maxAge);
        }

        /** The {@code max_age} served with {@code mode: none} during the withdrawal. */
        public long noneMaxAge() {
            return Math.min(maxAge, NONE_MAX_AGE);
        }
    }

    /** The zones whose ledger says anything, as a map for lookups. */
    public Map<Name, OwnedZone> asMap() {
        return zones;
    }
}
