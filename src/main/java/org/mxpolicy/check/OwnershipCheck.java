package org.mxpolicy.check;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mxpolicy.plan.OwnershipLedger;
import org.mxpolicy.plan.OwnershipLedger.OwnedZone;
import org.mxpolicy.plan.OwnershipLedger.Withdrawal;
import org.mxpolicy.plan.RrsetKey;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * What the ownership ledger says about the zones checked: owned RRsets the config no longer
 * produces, which {@code publish --apply} retires when the retirement rules allow, and the
 * retirements in progress with the date they end. Pure.
 */
public final class OwnershipCheck {

    /** An owned RRset the config no longer produces, or a withdrawal whose time is up. */
    public static final String DUE = "ownership.due-for-deletion";
    /** A withdrawal or an MX change waiting for senders' cached policies to expire. */
    public static final String IN_PROGRESS = "ownership.retirement-in-progress";

    private OwnershipCheck() {}

    /** The results for the zones of {@code checked}. */
    public static List<CheckResult> results(OwnershipLedger ledger, List<ZoneFragment> checked, Instant now) {
        List<CheckResult> results = new ArrayList<>();
        for (ZoneFragment zone : checked) {
            OwnedZone owned = ledger.zone(zone.zone());
            Set<RrsetKey> desired = new TreeSet<>();
            zone.rrsets()
                    .forEach(r -> desired.add(
                            new RrsetKey(r.get(0).getName(), r.get(0).getType())));
            for (Withdrawal w : owned.withdrawals().values()) {
                if (now.isBefore(w.ends())) {
                    results.add(CheckResult.ok(
                            IN_PROGRESS,
                            w.domain(),
                            "MTA-STS is being withdrawn: mode none served with id " + w.id() + " since " + w.started()
                                    + "; the _mta-sts record and the policy go from " + w.ends()));
                } else {
                    results.add(CheckResult.warning(
                            DUE,
                            w.domain(),
                            "the MTA-STS withdrawal ended at " + w.ends() + "; run mxpolicy publish --apply to delete"
                                    + " the _mta-sts record"));
                }
            }
            Set<Name> withdrawing = new TreeSet<>();
            owned.withdrawals().keySet().forEach(d -> withdrawing.add(Name.fromConstantString("_mta-sts." + d + ".")));
            for (RrsetKey key : owned.rrsets()) {
                if (!desired.contains(key) && !(key.type() == Type.TXT && withdrawing.contains(key.owner()))) {
                    results.add(CheckResult.warning(
                            DUE,
                            zone.zoneName(),
                            key + " was published by mxpolicy and is no longer in the config; mxpolicy publish"
                                    + " --apply retires it when the retirement rules allow (a TLSA record stays while"
                                    + " an MX RRset names its host)"));
                }
            }
            for (Map.Entry<String, java.util.SortedMap<String, Instant>> domain :
                    owned.mxCoverage().entrySet()) {
                Long maxAge = owned.policies().containsKey(domain.getKey())
                        ? owned.policies().get(domain.getKey()).maxAge()
                        : null;
                if (maxAge == null) {
                    continue;
                }
                domain.getValue().forEach((host, since) -> {
                    Instant safe = since.plusSeconds(maxAge);
                    if (now.isBefore(safe)) {
                        results.add(CheckResult.ok(
                                IN_PROGRESS,
                                domain.getKey(),
                                "the MTA-STS policy covers " + host + " since " + since + "; an MX change to it is"
                                        + " safe from " + safe + " (RFC 8461 section 8.1)"));
                    }
                });
            }
        }
        return results;
    }

    /** The report with the ledger's results added. */
    public static CheckReport with(CheckReport report, List<CheckResult> ownership) {
        if (ownership.isEmpty()) {
            return report;
        }
        List<CheckResult> results = new ArrayList<>(report.results());
        results.addAll(ownership);
        return new CheckReport(
                report.startedAt(), report.took(), results, report.plans(), report.expiries(), report.reports());
    }
}
