package org.mxpolicy.config;

import java.util.List;
import java.util.Optional;
import org.mxpolicy.finding.SourcePosition;

/**
 * Settings of one DNS zone mxpolicy writes into.
 *
 * @param name zone apex, lower case, no trailing dot
 * @param ttl default TTL of records in this zone (seconds)
 * @param nameservers the zone's authoritative servers to compare and wait for; empty means
 *     every address of every name in the zone's NS RRset
 * @param update where {@code publish} sends RFC 2136 updates, for zones the DNS server signs
 * @param signing the zone file {@code publish} merges into and signs, for zones mxpolicy signs
 */
public record ZoneSettings(
        String name,
        long ttl,
        List<ServerAddress> nameservers,
        Optional<UpdateTarget> update,
        Optional<ZoneFileSigning> signing,
        SourcePosition position) {

    public static final long DEFAULT_TTL = 3600;

    public ZoneSettings {
        nameservers = List.copyOf(nameservers);
    }

    /** A zone with only a TTL: nothing published, servers taken from the NS RRset. */
    public ZoneSettings(String name, long ttl, SourcePosition position) {
        this(name, ttl, List.of(), Optional.empty(), Optional.empty(), position);
    }
}
