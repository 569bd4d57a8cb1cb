package org.mxpolicy.keyroll;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.check.CheckResult;
import org.mxpolicy.check.CheckStatus;
import org.mxpolicy.config.KeyPolicy;
import org.mxpolicy.dnssec.KeyState;
import org.mxpolicy.dnssec.KeyTiming.Event;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.finding.MessageText;

/**
 * What {@code check} says about a zone's keys, from the key files alone: a key signing past its
 * lifetime with no successor (is {@code keys run} running?), a DS change asked of the parent
 * (CDS published), and CDS the parent has not acted on for {@code cds_warning}. Pure.
 */
public final class KeyCheck {

    private KeyCheck() {}

    public static List<CheckResult> results(String zone, KeyPolicy policy, List<ZoneKey> keys, Instant now) {
        List<CheckResult> results = new ArrayList<>();
        for (ZoneKey k : keys) {
            if (k.timing().stateAt(now) != KeyState.ACTIVE) {
                continue;
            }
            Optional<Duration> lifetime = k.isKsk() ? policy.kskLifetime() : Optional.of(policy.zskLifetime());
            Optional<Instant> activated = k.timing().get(Event.ACTIVATE);
            boolean successor = keys.stream()
                    .anyMatch(o -> o.isKsk() == k.isKsk()
                            && o.timing().stateAt(now) == KeyState.PUBLISHED
                            && o.algorithm() == k.algorithm());
            if (lifetime.isPresent() && activated.isPresent() && !successor) {
                Instant end = activated.get().plus(lifetime.get());
                if (!now.isBefore(end)) {
                    results.add(new CheckResult(
                            CheckStatus.WARNING,
                            "keys.past-lifetime",
                            zone,
                            k.baseName() + " has signed since " + MessageText.instant(activated.get())
                                    + ", past its lifetime (ended " + MessageText.instant(end)
                                    + "), and no successor is published; is 'mxpolicy keys run' running?"));
                }
            }
            if (k.isKsk() && k.timing().syncedAt(now)) {
                Instant since = k.timing().get(Event.SYNC_PUBLISH).orElseThrow();
                boolean overdue = !now.isBefore(since.plus(policy.cdsWarning()));
                results.add(new CheckResult(
                        overdue ? CheckStatus.WARNING : CheckStatus.OK,
                        overdue ? "keys.cds-unanswered" : "keys.ds-pending",
                        zone,
                        "CDS for " + k.baseName() + " published since " + MessageText.instant(since)
                                + (overdue
                                        ? ": the parent (" + policy.parent() + ") has not served the DS it asks for"
                                                + " within "
                                                + policy.cdsWarning().toDays() + " days; send the DS"
                                                + " (mxpolicy ds) to the registry by hand"
                                        : ": a DS change at the parent (" + policy.parent() + ") is pending")));
            }
        }
        for (ZoneKey k : keys) {
            if (k.timing().stateAt(now) == KeyState.PUBLISHED && k.timing().syncedAt(now)) {
                Instant since = k.timing().get(Event.SYNC_PUBLISH).orElseThrow();
                boolean overdue = !now.isBefore(since.plus(policy.cdsWarning()));
                results.add(new CheckResult(
                        overdue ? CheckStatus.WARNING : CheckStatus.OK,
                        overdue ? "keys.cds-unanswered" : "keys.ds-pending",
                        zone,
                        "CDS for the successor " + k.baseName() + " published since " + MessageText.instant(since)
                                + (overdue
                                        ? ": the parent (" + policy.parent() + ") has not served its DS within "
                                                + policy.cdsWarning().toDays()
                                                + " days; the rollover waits for it"
                                        : ": the rollover waits for the parent's DS")));
            }
        }
        return results;
    }
}
