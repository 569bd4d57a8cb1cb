package org.mxpolicy.desired;

import java.util.List;
import java.util.Optional;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.zone.ZoneFragment;

/**
 * Everything the config says should exist: the records mxpolicy owns, per DNS zone, the MTA-STS
 * policies to serve, and the warnings found while deriving them.
 *
 * @param zones one fragment per configured zone, in config order (a zone may be empty)
 * @param policies one per domain with MTA-STS, in config order
 * @param findings warnings and notes (errors are thrown instead)
 */
public record DesiredState(List<ZoneFragment> zones, List<DomainPolicy> policies, List<Finding> findings) {
    public DesiredState {
        zones = List.copyOf(zones);
        policies = List.copyOf(policies);
        findings = List.copyOf(findings);
    }

    public Optional<DomainPolicy> policy(String domain) {
        return policies.stream().filter(p -> p.domain().equals(domain)).findFirst();
    }
}
