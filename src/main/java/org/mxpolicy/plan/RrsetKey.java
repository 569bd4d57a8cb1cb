package org.mxpolicy.plan;

import java.util.Comparator;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** An RRset's identity: owner name and type (class IN). Ordered canonically (RFC 4034 section 6.1). */
public record RrsetKey(Name owner, int type) implements Comparable<RrsetKey> {

    private static final Comparator<RrsetKey> ORDER =
            Comparator.comparing(RrsetKey::owner).thenComparingInt(RrsetKey::type);

    public RrsetKey {
        Objects.requireNonNull(owner, "owner");
    }

    @Override
    public int compareTo(RrsetKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return owner + " " + Type.string(type);
    }
}
