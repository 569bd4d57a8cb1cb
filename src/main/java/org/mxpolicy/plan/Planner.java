package org.mxpolicy.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mxpolicy.zone.RrsetChange;
import org.xbill.DNS.Record;

/**
 * The diff of desired against observed RRsets: one {@link RrsetChange} per RRset whose records
 * or TTL differ, in canonical order. Pure: observing is the caller's business.
 */
public final class Planner {

    private Planner() {}

    /**
     * The changes that make the observed RRsets the desired ones.
     *
     * @param desired the RRsets that should exist, each a non-empty list of records of one
     *     owner and type
     * @param observed what is served for every RRset mxpolicy owns (at least every desired one):
     *     an empty list when the RRset does not exist. Owned RRsets observed but no longer desired
     *     are deleted.
     */
    public static List<RrsetChange> plan(List<List<Record>> desired, Map<RrsetKey, List<Record>> observed) {
        Map<RrsetKey, List<Record>> wanted = new TreeMap<>();
        for (List<Record> rrset : desired) {
            Record first = rrset.get(0);
            wanted.put(new RrsetKey(first.getName(), first.getType()), rrset);
        }
        Set<RrsetKey> keys = new TreeSet<>(wanted.keySet());
        keys.addAll(observed.keySet());
        List<RrsetChange> changes = new ArrayList<>();
        for (RrsetKey key : keys) {
            List<Record> before = observed.getOrDefault(key, List.of());
            List<Record> after = wanted.getOrDefault(key, List.of());
            if (!same(before, after)) {
                changes.add(new RrsetChange(key.owner(), key.type(), before, after));
            }
        }
        return changes;
    }

    /**
     * Same records (dnsjava's equality: owner, type, class, RDATA) and the same TTL. An RRset
     * has one TTL (RFC 2181 section 5.2), so the first record's stands for all.
     */
    public static boolean same(List<Record> a, List<Record> b) {
        return sameData(a, b) && (a.isEmpty() || a.get(0).getTTL() == b.get(0).getTTL());
    }

    /**
     * Same records (owner, type, class, RDATA), whatever their TTL: how a resolver's answer is
     * compared, since a cache counts the TTL down and may cap it.
     */
    public static boolean sameData(List<Record> a, List<Record> b) {
        return a.size() == b.size() && new HashSet<>(a).equals(new HashSet<>(b));
    }
}
