package org.mxpolicy.plan;

import java.util.List;
import org.mxpolicy.zone.RrsetChange;
import org.xbill.DNS.Name;

/** What it takes to bring one zone from what is served to what is desired. */
public record ZonePlan(Name zone, List<RrsetChange> changes, List<Refusal> refusals) {

    public ZonePlan {
        changes = List.copyOf(changes);
        refusals = List.copyOf(refusals);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public boolean refused() {
        return !refusals.isEmpty();
    }
}
