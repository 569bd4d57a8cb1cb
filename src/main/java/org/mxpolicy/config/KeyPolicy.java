package org.mxpolicy.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.dnssec.DnssecAlgorithm;
import org.mxpolicy.finding.SourcePosition;

/**
 * The key policy of a zone mxpolicy signs ({@code zones.<zone>.dnssec}): which keys it has and
 * when {@code keys run} rolls them. The waits follow RFC 7583: a new DNSKEY is used only once it
 * has been served everywhere for its TTL, a key stops being published only once its signatures
 * can no longer be cached, and a key-signing key is retired only once the parent has served the
 * new DS for the DS TTL.
 *
 * @param algorithm the algorithm of new keys; keys of another algorithm are reported, not rolled
 * @param csk one combined signing key (true) or a key-signing and a zone-signing key (false)
 * @param zskLifetime how long a zone-signing key signs before its successor takes over
 * @param kskLifetime how long a key-signing (or combined) key signs before its successor takes
 *     over; empty: it is rolled only by hand
 * @param dnskeyTtl the TTL of new keys' DNSKEY records
 * @param maxZoneTtl the largest TTL in the zone: how long a retired key's signatures may be cached
 * @param propagationDelay how long a change takes to reach every server (RFC 7583 Dprp), added to
 *     every wait
 * @param parent the zone that holds the DS RRset of this zone
 * @param parentNameservers the parent's servers to ask; empty: its NS RRset's
 * @param dsTtl the parent's DS TTL when the parent serves a smaller one (the larger wins)
 * @param parentPropagationDelay how long the parent takes to publish a changed DS (RFC 7583 Dreg)
 * @param cdsWarning how long CDS may go unanswered by the parent before {@code check} warns
 * @param signatureValidity the validity of new signatures
 * @param signatureRefresh signatures with less than this left are made anew
 */
public record KeyPolicy(
        DnssecAlgorithm algorithm,
        boolean csk,
        Duration zskLifetime,
        Optional<Duration> kskLifetime,
        long dnskeyTtl,
        Duration maxZoneTtl,
        Duration propagationDelay,
        String parent,
        List<ServerAddress> parentNameservers,
        Duration dsTtl,
        Duration parentPropagationDelay,
        Duration cdsWarning,
        Duration signatureValidity,
        Duration signatureRefresh,
        SourcePosition position) {

    public static final DnssecAlgorithm DEFAULT_ALGORITHM = DnssecAlgorithm.ECDSAP256SHA256;
    public static final Duration DEFAULT_ZSK_LIFETIME = Duration.ofDays(90);
    public static final long DEFAULT_DNSKEY_TTL = 3600;
    public static final Duration DEFAULT_MAX_ZONE_TTL = Duration.ofDays(1);
    public static final Duration DEFAULT_PROPAGATION_DELAY = Duration.ofHours(1);
    public static final Duration DEFAULT_DS_TTL = Duration.ofDays(1);
    public static final Duration DEFAULT_PARENT_PROPAGATION_DELAY = Duration.ofHours(1);
    public static final Duration DEFAULT_CDS_WARNING = Duration.ofDays(7);
    public static final Duration DEFAULT_SIGNATURE_VALIDITY = Duration.ofDays(14);
    public static final Duration DEFAULT_SIGNATURE_REFRESH = Duration.ofDays(7);

    public KeyPolicy {
        parentNameservers = List.copyOf(parentNameservers);
    }
}
