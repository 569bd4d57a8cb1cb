package org.mxpolicy.status;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mxpolicy.check.CheckResult;
import org.mxpolicy.check.CheckStatus;
import org.mxpolicy.check.Expiry;

/**
 * What one saved {@code check --format json} run says, read back: its results, the expiry times
 * it saw, and the domains of the config it checked (written since the status page; empty in
 * older files, when the domains are told from the results' subjects instead).
 *
 * @param startedAt when the check started: when the data was gathered
 * @param pendingChanges RRset changes the plan would publish, over all zones
 */
public record CheckSnapshot(
        Instant startedAt,
        CheckStatus status,
        List<CheckResult> results,
        List<Expiry> expiries,
        List<ConfiguredDomain> domains,
        int pendingChanges) {

    public CheckSnapshot {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(status, "status");
        results = List.copyOf(results);
        expiries = List.copyOf(expiries);
        domains = List.copyOf(domains);
    }

    /**
     * A mail domain as the checked config wanted it.
     *
     * @param mxHosts the configured MX host names
     * @param mtaStsMode the MTA-STS policy mode ({@code enforce}, {@code testing}, {@code none}), if
     *     the domain has a policy
     * @param mtaStsId the id of that policy, as its {@code _mta-sts} record should carry it
     */
    public record ConfiguredDomain(
            String name,
            List<String> mxHosts,
            boolean tlsReports,
            Optional<String> mtaStsMode,
            Optional<String> mtaStsId) {
        public ConfiguredDomain {
            Objects.requireNonNull(name, "name");
            mxHosts = List.copyOf(mxHosts);
            Objects.requireNonNull(mtaStsMode, "mtaStsMode");
            Objects.requireNonNull(mtaStsId, "mtaStsId");
        }
    }
}
