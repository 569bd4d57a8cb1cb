package org.mxpolicy.dns;

import java.util.List;
import org.mxpolicy.zone.RrsetChange;
import org.xbill.DNS.Name;

/** Applies planned changes to a zone on its primary server with RFC 2136 updates. */
public interface DynamicUpdate {

    /**
     * Sends {@code changes} to the zone's primary, each RRset's {@code before} as a prerequisite,
     * split into as many messages as needed. Returns how many update messages were sent.
     *
     * @throws UpdateException when the server refuses (prerequisite failed: someone changed the
     *     RRset since it was observed; TSIG not accepted; not authoritative) or cannot be reached
     *     after the retries
     */
    int apply(Name zone, List<RrsetChange> changes) throws UpdateException;

    /**
     * The whole zone from its primary, where the primary allows it (AXFR with the same key): how
     * ownership markers are found when nothing else names them. Empty when not allowed.
     */
    default java.util.Optional<List<org.xbill.DNS.Record>> transfer(Name zone) {
        return java.util.Optional.empty();
    }
}
