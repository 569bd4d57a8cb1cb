package org.mxpolicy.check;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.mxpolicy.plan.ZonePlan;

/**
 * Everything one check run found: results, the plan that would bring the DNS to the desired
 * state, and expiry times for monitoring.
 */
public record CheckReport(
        Instant startedAt, Duration took, List<CheckResult> results, List<ZonePlan> plans, List<Expiry> expiries) {

    public CheckReport {
        results = results.stream().sorted(CheckResult.ORDER).toList();
        plans = List.copyOf(plans);
        expiries = List.copyOf(expiries);
    }

    /** The worst result's status; OK when there is nothing to report. */
    public CheckStatus status() {
        CheckStatus worst = CheckStatus.OK;
        for (CheckResult r : results) {
            worst = worst.worse(r.status());
        }
        return worst;
    }

    public long count(CheckStatus status) {
        return results.stream().filter(r -> r.status() == status).count();
    }
}
