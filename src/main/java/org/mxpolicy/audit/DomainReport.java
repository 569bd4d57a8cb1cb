package org.mxpolicy.audit;

import java.util.List;
import org.mxpolicy.scan.RuleFinding;

/**
 * What an audit found for one mail domain.
 *
 * @param domain the domain, without the trailing dot
 * @param findings about the domain itself: its MX RRset and what DNSSEC made of it
 * @param hosts the MX hosts, by preference (the domain itself when it has no MX, RFC 5321
 *     section 5.1)
 */
public record DomainReport(String domain, List<RuleFinding> findings, List<MxHost> hosts) {

    public DomainReport {
        findings = List.copyOf(findings);
        hosts = List.copyOf(hosts);
    }
}
