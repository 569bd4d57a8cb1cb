package org.mxpolicy.keyroll;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * What the DNS shows of a zone's keys at one run, as the machine needs it; each "served" means on
 * every authoritative server and through the validating lookup.
 *
 * @param dnskeys the keys whose DNSKEY is served
 * @param dnskeyTtl the largest DNSKEY TTL seen
 * @param unsigned the keys no server has a signature of over the SOA or DNSKEY RRset
 * @param parentDs the parent's DS RRset, when every parent server serves the same one and it
 *     validates; empty while it is changing or cannot be seen
 */
public record ServedKeys(Set<KeyId> dnskeys, Duration dnskeyTtl, Set<KeyId> unsigned, Optional<ParentDs> parentDs) {

    /**
     * The parent's DS RRset of the zone.
     *
     * @param keys the zone's keys it points at
     * @param others how many of its records point at none of the zone's keys
     * @param ttl its TTL
     */
    public record ParentDs(Set<KeyId> keys, int others, Duration ttl) {
        public ParentDs {
            keys = Set.copyOf(keys);
        }
    }

    /** Nothing seen: every wait stays closed. */
    public static final ServedKeys NOTHING = new ServedKeys(Set.of(), Duration.ZERO, Set.of(), Optional.empty());

    public ServedKeys {
        dnskeys = Set.copyOf(dnskeys);
        unsigned = Set.copyOf(unsigned);
    }
}
