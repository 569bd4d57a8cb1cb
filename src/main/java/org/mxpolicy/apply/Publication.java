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
 * Publishing the desired records of zones: PLAN ({@link ZonePlanner}), APPLY
 * ({@link ZoneUpdater}) and VERIFY ({@link ServedWait}). Used by {@code publish} and by the
 * certificate rollover.
 */
public final class Publication {

    private final ZonePlanner planner;
    private final ZoneUpdater updater;
    private final ServedWait served;

    public Publication(ZonePlanner planner, ZoneUpdater updater, ServedWait served) {
        this.planner = planner;
        this.updater = updater;
        this.served = served;
    }

    /** The plan of each zone published by RFC 2136, in the given order. */
    public Map<ZoneFragment, ZonePlan> plan(List<ZoneFragment> zones) throws MxpolicyException {
        return planner.plan(zones, Set.of());
    }

    /** Fails, so that nothing is applied, when a safety rule refused any of the plans. */
    public void requireAccepted(Map<ZoneFragment, ZonePlan> plans) throws MxpolicyException {
        planner.requireAccepted(plans);
    }

    /** Applies the plans and signs the zone files of {@code zones}; returns the zones whose served data changed. */
    public List<ZoneFragment> apply(Map<ZoneFragment, ZonePlan> plans, List<ZoneFragment> zones) throws MxpolicyException {
        return updater.apply(plans, zones);
    }

    /** Waits until {@code changed} is served everywhere and validates; fails listing what lags at the end. */
    public void requireServed(List<ZoneFragment> changed, Duration wait) throws MxpolicyException {
        served.require(changed, wait);
    }

    /**
     * Plans, shows the plan, applies it unless refused, and waits until it is served. The records of
     * {@code compromisedKeys} (SHA-256 hex of their SPKI) may go although an MX still presents them.
     */
    public void publish(List<ZoneFragment> zones, Set<String> compromisedKeys, Duration wait, Consumer<String> show)
            throws MxpolicyException {
        Map<ZoneFragment, ZonePlan> plans = planner.plan(zones, compromisedKeys);
        PlanText.lines(List.copyOf(plans.values())).forEach(show);
        planner.requireAccepted(plans);
        requireServed(updater.apply(plans, zones), wait);
    }
}
