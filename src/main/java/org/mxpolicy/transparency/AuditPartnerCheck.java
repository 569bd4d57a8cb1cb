package org.mxpolicy.transparency;

import java.util.ArrayList;
import java.util.List;
import org.mxpolicy.audit.DomainReport;
import org.mxpolicy.audit.MxAddress;
import org.mxpolicy.audit.MxAudit;
import org.mxpolicy.audit.MxHost;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.scan.RuleFinding;
import org.mxpolicy.scan.Verdict;
import org.xbill.DNS.Name;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Partners checked live with {@code audit}: the MX hosts' TLS as {@link MxAudit} judges it
 * (TR-03108 03-M), the DNSSEC status of the MX RRset, and whether every MX host publishes
 * DNSSEC-validated TLSA records for port 25 (RFC 7672 section 2.2). Whether those records match
 * the certificate each MX presents, and MTA-STS, are the audit's to judge requirement by
 * requirement; until it does, this reports DANE as "published" and MTA-STS as not checked.
 */
public final class AuditPartnerCheck implements PartnerCheck {

    private final MxAudit audit;
    private final DnsLookup dns;

    /** {@code dns} should be the lookup {@code audit} uses, so its cache answers the MX again. */
    public AuditPartnerCheck(MxAudit audit, DnsLookup dns) {
        this.audit = audit;
        this.dns = dns;
    }

    @Override
    public List<PartnerFindings> check(List<String> domains) throws InterruptedException {
        List<PartnerFindings> findings = new ArrayList<>();
        for (DomainReport report : audit.audit(domains)) {
            findings.add(findings(report));
        }
        return findings;
    }

    private PartnerFindings findings(DomainReport report) {
        Assessment mtaSts = Assessment.notChecked("MTA-STS is not audited yet");
        if (report.findings().stream().anyMatch(f -> f.verdict() == Verdict.NOT_APPLICABLE)) {
            Assessment none = Assessment.notChecked("accepts no mail (null MX)");
            return new PartnerFindings(report.domain(), none, none, none, none);
        }
        return new PartnerFindings(report.domain(), dnssec(report.domain()), dane(report), mtaSts, tls(report));
    }

    private Assessment dnssec(String domain) {
        Name name;
        try {
            name = Name.fromString(domain + ".");
        } catch (TextParseException e) {
            return Assessment.notMet("not a domain name");
        }
        DnsAnswer answer = dns.lookup(name, Type.MX);
        return switch (answer.security()) {
            case SECURE -> Assessment.met("MX RRset validated (DNSSEC secure)");
            case INSECURE -> Assessment.notMet("MX RRset not signed (DNSSEC insecure)");
            case BOGUS -> Assessment.notMet("MX RRset does not validate (DNSSEC bogus)");
            case FAILED ->
                Assessment.unknown("MX lookup failed: " + answer.problem().orElse("no answer"));
        };
    }

    /** TLSA for port 25 of every MX host, validated (RFC 7672 section 2.2). */
    private Assessment dane(DomainReport report) {
        if (report.hosts().isEmpty()) {
            return Assessment.unknown("no MX host to look up TLSA records for");
        }
        List<String> with = new ArrayList<>();
        List<String> without = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (MxHost host : report.hosts()) {
            Name tlsa;
            try {
                tlsa = Name.fromString("_" + MxAudit.SMTP_PORT + "._tcp." + host.name() + ".");
            } catch (TextParseException e) {
                without.add(host.name() + " (not a host name)");
                continue;
            }
            DnsAnswer answer = dns.lookup(tlsa, Type.TLSA);
            long records = answer.records().stream()
                    .filter(TLSARecord.class::isInstance)
                    .count();
            switch (answer.security()) {
                case SECURE -> {
                    if (records > 0) {
                        with.add(host.name() + " (" + records + " TLSA)");
                    } else {
                        without.add(host.name() + " (no TLSA)");
                    }
                }
                case INSECURE -> without.add(host.name() + " (not DNSSEC-signed)");
                case BOGUS -> without.add(host.name() + " (TLSA do not validate)");
                case FAILED -> unknown.add(host.name() + " (" + answer.problem().orElse("no answer") + ")");
            }
        }
        if (!without.isEmpty()) {
            return Assessment.notMet("no usable TLSA for " + String.join(", ", without));
        }
        if (!unknown.isEmpty()) {
            return Assessment.unknown("TLSA lookup failed for " + String.join(", ", unknown));
        }
        return Assessment.met("TLSA published for " + String.join(", ", with));
    }

    /** The 03-M rules of every MX address: a failure fails, an unknown leaves it open. */
    private static Assessment tls(DomainReport report) {
        List<RuleFinding> all = new ArrayList<>(report.findings());
        int addresses = 0;
        for (MxHost host : report.hosts()) {
            all.addAll(host.findings());
            for (MxAddress address : host.addresses()) {
                addresses++;
                all.addAll(address.findings());
            }
        }
        List<RuleFinding> inbound = all.stream()
                .filter(f -> f.requirement().equals(MxAudit.INBOUND))
                .toList();
        for (RuleFinding f : inbound) {
            if (f.verdict() == Verdict.FAIL) {
                return Assessment.notMet(f.check() + ": " + f.evidence());
            }
        }
        for (RuleFinding f : inbound) {
            if (f.verdict() == Verdict.UNKNOWN) {
                return Assessment.unknown(f.check() + ": " + f.evidence());
            }
        }
        if (addresses == 0) {
            return Assessment.unknown("no MX address was scanned");
        }
        return Assessment.met("STARTTLS per TR-03116-4 on " + addresses + " MX address" + (addresses == 1 ? "" : "es"));
    }
}
