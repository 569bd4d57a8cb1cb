package org.mxpolicy.apply;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.plan.PlanText;
import org.mxpolicy.plan.ZonePlan;
import org.mxpolicy.zone.ZoneFragment;

/**
 * Publishing the desired records of zones: PLAN ({@link ZonePlanner}), APPLY ({@link ZoneUpdater})
 * and VERIFY ({@link ServedWait}), then what was published kept in the history ({@link
 * PublishedRecords}). Used by {@code publish} step by step and by the certificate rollover.
 */
public record Publication(ZonePlanner planner, ZoneUpdater updater, ServedWait served, PublishedRecords published) {

    /**
     * Plans, shows the plan, applies it unless refused, and waits until it is served. The records of
     * {@code compromisedKeys} (SHA-256 hex of their SPKI) may go although an MX still presents them.
     */
    public void publish(List<ZoneFragment> zones, Set<String> compromisedKeys, Duration wait, Consumer<String> show)
            throws MxpolicyException {
        Map<ZoneFragment, ZonePlan> plans = planner.plan(zones, compromisedKeys);
        PlanText.lines(List.copyOf(plans.values())).forEach(show);
        planner.requireAccepted(plans);
        served.require(updater.apply(plans, zones), wait);
        published.record(zones, Map.of()).ifPresent(show);
    }
}
