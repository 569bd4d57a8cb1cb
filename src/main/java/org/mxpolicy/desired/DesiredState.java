package org.mxpolicy.desired;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.Name;

/**
 * Everything the config says should exist: the records mxpolicy owns, per DNS zone, the MTA-STS
 * policies to serve, the MX hosts and mail domains as a check observes them, and the warnings
 * found while deriving them.
 *
 * @param zones one fragment per configured zone, in config order (a zone may be empty)
 * @param policies one per domain with MTA-STS, in config order
 * @param findings warnings and notes (errors are thrown instead)
 * @param mxHosts each configured MX host once, in config order
 * @param domains the mail domains, in config order
 * @param nameservers per zone name, the authoritative servers the config names (empty: its NS RRset's)
 * @param httpsReportOwners the {@code _smtp._tls} owners whose domain allows https report addresses
 */
public record DesiredState(
        List<ZoneFragment> zones,
        List<DomainPolicy> policies,
        List<Finding> findings,
        List<DesiredMx> mxHosts,
        List<DesiredDomain> domains,
        Map<String, List<Nameserver>> nameservers,
        Set<Name> httpsReportOwners) {
    public DesiredState {
        zones = List.copyOf(zones);
        policies = List.copyOf(policies);
        findings = List.copyOf(findings);
        mxHosts = List.copyOf(mxHosts);
        domains = List.copyOf(domains);
        nameservers = Map.copyOf(nameservers);
        httpsReportOwners = Set.copyOf(httpsReportOwners);
    }

    public Optional<DomainPolicy> policy(String domain) {
        return policies.stream().filter(p -> p.domain().equals(domain)).findFirst();
    }
}
