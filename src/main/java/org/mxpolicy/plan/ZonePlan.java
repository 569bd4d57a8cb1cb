package org.mxpolicy.plan;

import java.util.List;
import java.util.Objects;
import org.mxpolicy.plan.OwnershipLedger.OwnedZone;
import org.mxpolicy.zone.RrsetChange;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * What it takes to bring one zone from what is served to what is desired.
 *
 * @param retirements what happens to each owned RRset the config no longer produces, and by which
 *     rule
 * @param kept the retiring RRsets that stay this time, as they should be served (a zone file
 *     signed by mxpolicy merges them with the desired ones)
 * @param owned what the zone's ledger says once the plan is applied
 */
public record ZonePlan(
        Name zone,
        List<RrsetChange> changes,
        List<Refusal> refusals,
        List<Retirement> retirements,
        List<List<Record>> kept,
        OwnedZone owned) {

    public ZonePlan {
        changes = List.copyOf(changes);
        refusals = List.copyOf(refusals);
        retirements = List.copyOf(retirements);
        kept = kept.stream().map(List::copyOf).toList();
        Objects.requireNonNull(owned, "owned");
    }

    public ZonePlan(Name zone, List<RrsetChange> changes, List<Refusal> refusals) {
        this(zone, changes, refusals, List.of(), List.of(), OwnedZone.EMPTY);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public boolean refused() {
        return !refusals.isEmpty();
    }

    /** The retirements held back this time. */
    public List<Retirement> held() {
        return retirements.stream().filter(Retirement::held).toList();
    }
}
