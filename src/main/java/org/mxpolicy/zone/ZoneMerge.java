package org.mxpolicy.zone;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Puts the records mxpolicy owns into a base zone: each RRset (owner name and type) the fragment
 * holds replaces the base zone's RRset of the same owner and type, whole; every other record of
 * the base zone stays as it is. Owner names compare case-insensitively (RFC 4343).
 */
public final class ZoneMerge {

    private ZoneMerge() {}

    /** An RRset's identity; dnsjava's {@link Name#equals} ignores case. */
    private record RrsetKey(Name owner, int type) {}

    /**
     * The base zone with the fragment's RRsets in place of its own.
     *
     * @throws IllegalArgumentException when the fragment is for another zone
     */
    public static List<Record> merge(Name origin, List<Record> base, ZoneFragment owned) {
        if (!owned.zone().equals(origin)) {
            throw new IllegalArgumentException("fragment of " + owned.zone() + " merged into " + origin);
        }
        Set<RrsetKey> replaced = new HashSet<>();
        for (Record r : owned.records()) {
            replaced.add(new RrsetKey(r.getName(), r.getRRsetType()));
        }
        List<Record> out = new ArrayList<>(base.size() + owned.records().size());
        for (Record r : base) {
            if (!replaced.contains(new RrsetKey(r.getName(), r.getRRsetType()))) {
                out.add(r);
            }
        }
        out.addAll(owned.records());
        return out;
    }
}
