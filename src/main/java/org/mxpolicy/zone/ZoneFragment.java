package org.mxpolicy.zone;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The records mxpolicy owns in one DNS zone, in canonical DNS order (RFC 4034 section 6: owner
 * names compared label by label from the right, then type, then RDATA), so output built from the
 * same input is byte-identical on every run.
 */
public final class ZoneFragment {

    private final Name zone;
    private final List<Record> records;

    public ZoneFragment(Name zone, List<Record> records) {
        this.zone = Objects.requireNonNull(zone, "zone");
        List<Record> sorted = new ArrayList<>(records);
        for (Record r : sorted) {
            if (!r.getName().subdomain(zone)) {
                throw new IllegalArgumentException(r.getName() + " is not in zone " + zone);
            }
        }
        // dnsjava's Record.compareTo is the canonical order: owner, type, class, RDATA wire form.
        sorted.sort(Record::compareTo);
        this.records = dedup(sorted);
    }

    public Name zone() {
        return zone;
    }

    /** The zone apex without its trailing dot, as used in file names. */
    public String zoneName() {
        String text = zone.toString(true);
        return text.isEmpty() ? "." : text;
    }

    public List<Record> records() {
        return records;
    }

    /** The records grouped into RRsets (same owner and type), in canonical order. */
    public List<List<Record>> rrsets() {
        List<List<Record>> sets = new ArrayList<>();
        List<Record> current = null;
        for (Record r : records) {
            if (current == null || !sameRrset(current.get(0), r)) {
                current = new ArrayList<>();
                sets.add(current);
            }
            current.add(r);
        }
        return sets;
    }

    private static boolean sameRrset(Record a, Record b) {
        return a.getName().equals(b.getName()) && a.getType() == b.getType() && a.getDClass() == b.getDClass();
    }

    private static List<Record> dedup(List<Record> sorted) {
        List<Record> out = new ArrayList<>();
        for (Record r : sorted) {
            if (out.isEmpty() || out.get(out.size() - 1).compareTo(r) != 0) {
                out.add(r);
            }
        }
        return List.copyOf(out);
    }
}
