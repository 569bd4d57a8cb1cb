package org.mxpolicy.zone;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One step of a plan: an RRset (owner and type) as it is served now and as it should be.
 * An empty {@code before} means the RRset is created, an empty {@code after} that it is deleted.
 * {@code before} is what a dynamic update puts in its prerequisites, so a change made by someone
 * else since the observation is detected instead of overwritten.
 */
public record RrsetChange(Name owner, int type, List<Record> before, List<Record> after) {

    public enum Kind {
        CREATE,
        CHANGE,
        DELETE
    }

    public RrsetChange {
        Objects.requireNonNull(owner, "owner");
        before = List.copyOf(before);
        after = List.copyOf(after);
        if (before.isEmpty() && after.isEmpty()) {
            throw new IllegalArgumentException("a change of " + owner + " " + Type.string(type) + " changes nothing");
        }
        for (Record r : before) {
            requireSameRrset(owner, type, r);
        }
        for (Record r : after) {
            requireSameRrset(owner, type, r);
        }
    }

    public Kind kind() {
        if (before.isEmpty()) {
            return Kind.CREATE;
        }
        return after.isEmpty() ? Kind.DELETE : Kind.CHANGE;
    }

    /** {@code owner TYPE}, for messages. */
    public String rrsetName() {
        return owner + " " + Type.string(type);
    }

    private static void requireSameRrset(Name owner, int type, Record r) {
        if (!r.getName().equals(owner) || r.getType() != type) {
            throw new IllegalArgumentException(r + " is not part of the RRset " + owner + " " + Type.string(type));
        }
    }
}
