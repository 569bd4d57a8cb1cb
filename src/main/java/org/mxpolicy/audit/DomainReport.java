package org.mxpolicy.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.scan.RuleFinding;

/**
 * What an audit found for one mail domain.
 *
 * @param domain the domain, without the trailing dot
 * @param findings about the domain itself: its MX RRset and what DNSSEC made of it, its MTA-STS
 *     and TLS-RPT policies
 * @param hosts the MX hosts, by preference (the domain itself when it has no MX, RFC 5321
 *     section 5.1)
 * @param endpoints the provider's own client and HTTPS endpoints, audited for own domains only
 *     (empty for a partner)
 */
public record DomainReport(
        String domain, List<RuleFinding> findings, List<MxHost> hosts, List<ClientEndpoint> endpoints) {

    public DomainReport {
        findings = List.copyOf(findings);
        hosts = List.copyOf(hosts);
        endpoints = List.copyOf(endpoints);
    }

    /** A partner's report: no endpoints of its own audited. */
    public DomainReport(String domain, List<RuleFinding> findings, List<MxHost> hosts) {
        this(domain, findings, hosts, List.of());
    }

    /** Every finding, each with the domain, host or endpoint it is about, in report order. */
    public List<AuditFinding> allFindings() {
        List<AuditFinding> all = new ArrayList<>();
        findings.forEach(f -> all.add(new AuditFinding(domain, f)));
        for (MxHost host : hosts) {
            host.findings().forEach(f -> all.add(new AuditFinding(host.name(), f)));
            for (MxAddress address : host.addresses()) {
                String subject = address.scan().endpoint().toString();
                address.findings().forEach(f -> all.add(new AuditFinding(subject, f)));
            }
        }
        for (ClientEndpoint endpoint : endpoints) {
            String subject = endpoint.service() + " " + endpoint.subject();
            endpoint.findings().forEach(f -> all.add(new AuditFinding(subject, f)));
        }
        return all;
    }

    /** The table of the domain: every requirement {@link Requirement} names, in order. */
    public List<RequirementVerdict> requirements() {
        return RequirementTable.of(allFindings(), !endpoints.isEmpty());
    }

    /** The row of one requirement. */
    public RequirementVerdict requirement(Requirement requirement) {
        return requirements().stream()
                .filter(r -> r.requirement() == requirement)
                .findFirst()
                .orElseThrow();
    }

    /** The first finding with the stable id {@code check}, e.g. {@code dane.match}, wherever it was seen. */
    public Optional<AuditFinding> finding(String check) {
        return allFindings().stream()
                .filter(f -> f.finding().check().equals(check))
                .findFirst();
    }
}
