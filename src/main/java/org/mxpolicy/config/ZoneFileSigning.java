package org.mxpolicy.config;

import java.util.Optional;
import org.mxpolicy.finding.SourcePosition;

/**
 * How {@code publish} applies the records of a zone mxpolicy signs itself: merge them into the
 * base zone file, sign with the keys in a directory, write the signed zone, run the reload
 * command of the DNS server that serves it.
 *
 * @param zoneFile the unsigned base zone, maintained by the operator
 * @param output the signed zone the DNS server loads
 * @param keys the directory with the zone's {@code K<zone>+<alg>+<tag>} key files
 * @param nsec3 NSEC3 (RFC 9276 parameters) instead of NSEC
 * @param reload a command run after the signed zone changed, split on spaces (no shell), such
 *     as {@code knotc zone-reload example.com}
 * @param keyPolicy the zone's {@code dnssec} key policy, which {@code keys run} carries out
 */
public record ZoneFileSigning(
        FileReference zoneFile,
        FileReference output,
        FileReference keys,
        boolean nsec3,
        Optional<String> reload,
        SourcePosition position,
        Optional<KeyPolicy> keyPolicy) {

    /** Signing without a key policy: the keys are rolled by hand. */
    public ZoneFileSigning(
            FileReference zoneFile,
            FileReference output,
            FileReference keys,
            boolean nsec3,
            Optional<String> reload,
            SourcePosition position) {
        this(zoneFile, output, keys, nsec3, reload, position, Optional.empty());
    }

    public ZoneFileSigning withKeyPolicy(KeyPolicy policy) {
        return new ZoneFileSigning(zoneFile, output, keys, nsec3, reload, position, Optional.of(policy));
    }
}
