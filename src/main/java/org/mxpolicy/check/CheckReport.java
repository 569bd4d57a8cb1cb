package org.mxpolicy.check;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.plan.ZonePlan;

/**
 * Everything one check run found: results, the plan that would bring the DNS to the desired
 * state, and expiry times and TLS report counts for monitoring.
 *
 * @param reports what the stored TLS reports say; empty when they were not read
 */
public record CheckReport(
        Instant startedAt,
        Duration took,
        List<CheckResult> results,
        List<ZonePlan> plans,
        List<Expiry> expiries,
        Optional<ReportMetrics> reports) {

    public CheckReport {
        results = results.stream().sorted(CheckResult.ORDER).toList();
        plans = List.copyOf(plans);
        expiries = List.copyOf(expiries);
    }

    /** A report without TLS report counts. */
    public CheckReport(
            Instant startedAt, Duration took, List<CheckResult> results, List<ZonePlan> plans, List<Expiry> expiries) {
        this(startedAt, took, results, plans, expiries, Optional.empty());
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
