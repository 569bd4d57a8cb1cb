package org.mxpolicy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mxpolicy.audit.AuditFinding;
import org.mxpolicy.audit.ClientEndpoint;
import org.mxpolicy.audit.DomainReport;
import org.mxpolicy.audit.MxAddress;
import org.mxpolicy.audit.MxHost;
import org.mxpolicy.audit.RequirementVerdict;
import org.mxpolicy.check.CheckStatus;
import org.mxpolicy.scan.CertificateInfo;
import org.mxpolicy.scan.RuleFinding;
import org.mxpolicy.scan.TlsScan;
import org.mxpolicy.scan.Verdict;
import org.mxpolicy.scan.VersionScan;
import org.mxpolicy.tls.TlsRuleSet;

/**
 * An audit's report: per domain the table of TR-03108 requirements and every finding under its
 * domain, MX address or endpoint, for people; JSON for scripts; CSV, one row per domain and
 * requirement (RFC 4180), for spreadsheets.
 */
enum AuditOutput {
    text {
        @Override
        String render(List<DomainReport> reports, TlsRuleSet rules) {
            StringBuilder out = new StringBuilder();
            String nl = System.lineSeparator();
            out.append("rules: ").append(rules.describe()).append(nl);
            for (DomainReport domain : reports) {
                out.append(nl).append(domain.domain()).append(nl);
                for (RequirementVerdict row : domain.requirements()) {
                    out.append(String.format(
                                    Locale.ROOT,
                                    "  TR-03108-%-5s %-14s %s",
                                    row.requirement().id(),
                                    verdict(row.verdict()),
                                    row.evidence()))
                            .append(nl);
                }
                table(out, "  ", domain.findings());
                for (MxHost host : domain.hosts()) {
                    out.append("  MX ")
                            .append(host.preference())
                            .append(' ')
                            .append(host.name())
                            .append(nl);
                    table(out, "    ", host.findings());
                    for (MxAddress address : host.addresses()) {
                        TlsScan scan = address.scan();
                        out.append("    ")
                                .append(scan.endpoint().address().getAddress().getHostAddress())
                                .append(" port ")
                                .append(scan.endpoint().address().getPort())
                                .append(": ")
                                .append(accepted(scan))
                                .append(" (")
                                .append(scan.handshakes())
                                .append(" handshakes")
                                .append(
                                        scan.incomplete()
                                                ? "; incomplete, " + scan.gaps().size() + " probe(s) unanswered"
                                                : "")
                                .append(")")
                                .append(nl);
                        table(out, "      ", address.findings());
                    }
                }
                for (ClientEndpoint endpoint : domain.endpoints()) {
                    out.append("  ")
                            .append(endpoint.service())
                            .append(' ')
                            .append(endpoint.subject())
                            .append(endpoint.scan()
                                    .map(scan -> ": " + accepted(scan) + " (" + scan.handshakes() + " handshakes)")
                                    .orElse(""))
                            .append(nl);
                    table(out, "    ", endpoint.findings());
                }
            }
            out.append(nl).append(summary(reports)).append(nl);
            return out.toString();
        }
    },
    json {
        @Override
        String render(List<DomainReport> reports, TlsRuleSet rules) {
            Map<String, Object> top = new LinkedHashMap<>();
            CheckStatus status = status(reports);
            top.put("status", status.label());
            top.put("exit_code", status.exitCode());
            top.put("rules", rules.describe());
            List<Map<String, Object>> domains = new ArrayList<>();
            for (DomainReport domain : reports) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("domain", domain.domain());
                d.put("status", status(List.of(domain)).label());
                List<Map<String, Object>> requirements = new ArrayList<>();
                for (RequirementVerdict row : domain.requirements()) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("requirement", row.requirement().id());
                    r.put("title", row.requirement().title());
                    r.put("verdict", row.verdict().name().toLowerCase(Locale.ROOT));
                    r.put("evidence", row.evidence());
                    requirements.add(r);
                }
                d.put("requirements", requirements);
                d.put("findings", findings(domain.findings()));
                List<Map<String, Object>> hosts = new ArrayList<>();
                for (MxHost host : domain.hosts()) {
                    Map<String, Object> h = new LinkedHashMap<>();
                    h.put("name", host.name());
                    h.put("preference", host.preference());
                    h.put("findings", findings(host.findings()));
                    List<Map<String, Object>> addresses = new ArrayList<>();
                    for (MxAddress address : host.addresses()) {
                        addresses.add(address(address));
                    }
                    h.put("addresses", addresses);
                    hosts.add(h);
                }
                d.put("mx", hosts);
                if (!domain.endpoints().isEmpty()) {
                    List<Map<String, Object>> endpoints = new ArrayList<>();
                    for (ClientEndpoint endpoint : domain.endpoints()) {
                        Map<String, Object> e = endpoint.scan()
                                .map(scan -> address(new MxAddress(scan, endpoint.findings())))
                                .orElseGet(() -> {
                                    Map<String, Object> m = new LinkedHashMap<>();
                                    m.put("findings", findings(endpoint.findings()));
                                    return m;
                                });
                        Map<String, Object> labelled = new LinkedHashMap<>();
                        labelled.put("service", endpoint.service());
                        labelled.put("endpoint", endpoint.subject());
                        labelled.putAll(e);
                        endpoints.add(labelled);
                    }
                    d.put("endpoints", endpoints);
                }
                domains.add(d);
            }
            top.put("domains", domains);
            try {
                return new ObjectMapper()
                                .enable(SerializationFeature.INDENT_OUTPUT)
                                .writeValueAsString(top)
                        + System.lineSeparator();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("an audit report of maps and strings did not serialize", e);
            }
        }
    },
    csv {
        /**
         * One row per domain and requirement, RFC 4180: CRLF line ends, a header line, fields
         * with a comma, a quote or a line break in double quotes, quotes doubled.
         */
        @Override
        String render(List<DomainReport> reports, TlsRuleSet rules) {
            StringBuilder out = new StringBuilder();
            out.append("domain,requirement,title,verdict,evidence\r\n");
            for (DomainReport domain : reports) {
                for (RequirementVerdict row : domain.requirements()) {
                    out.append(field(domain.domain()))
                            .append(',')
                            .append(field(row.requirement().id()))
                            .append(',')
                            .append(field(row.requirement().title()))
                            .append(',')
                            .append(field(verdict(row.verdict())))
                            .append(',')
                            .append(field(row.evidence()))
                            .append("\r\n");
                }
            }
            return out.toString();
        }
    };

    abstract String render(List<DomainReport> reports, TlsRuleSet rules);

    /**
     * An RFC 4180 field: quoted when it holds a comma, a double quote, CR or LF. A field that a
     * spreadsheet would take for a formula ({@code = + - @}, tab or CR first) gets a leading
     * {@code '}: evidence quotes what remote servers and DNS records say, and opening the file
     * must not run it.
     */
    static String field(String value) {
        if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
            value = "'" + value;
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /** {@code pass}, {@code not applicable}, ... */
    static String verdict(Verdict verdict) {
        return verdict.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /**
     * The run's status, as {@code check} maps its results: a failed MUST requirement is CRITICAL,
     * a failed SHOULD requirement or anything outside the profile on an opportunistic endpoint a
     * WARNING, an endpoint or lookup that did not answer UNKNOWN.
     */
    static CheckStatus status(List<DomainReport> reports) {
        CheckStatus worst = CheckStatus.OK;
        for (RuleFinding finding : all(reports)) {
            worst = worst.worse(status(finding));
        }
        return worst;
    }

    static CheckStatus status(RuleFinding finding) {
        return switch (finding.verdict()) {
            case PASS, NOT_APPLICABLE -> CheckStatus.OK;
            case WARN -> CheckStatus.WARNING;
            case UNKNOWN -> CheckStatus.UNKNOWN;
            case FAIL -> finding.requirement().endsWith("-M") ? CheckStatus.CRITICAL : CheckStatus.WARNING;
        };
    }

    /** {@code 2 domains, 3 MX addresses: 1 fail, 4 warn, 0 unknown; CRITICAL}. */
    static String summary(List<DomainReport> reports) {
        int addresses = 0;
        for (DomainReport domain : reports) {
            for (MxHost host : domain.hosts()) {
                addresses += host.addresses().size();
            }
        }
        long fail = 0;
        long warn = 0;
        long unknown = 0;
        for (RuleFinding finding : all(reports)) {
            switch (finding.verdict()) {
                case FAIL -> fail++;
                case WARN -> warn++;
                case UNKNOWN -> unknown++;
                default -> {}
            }
        }
        return reports.size() + (reports.size() == 1 ? " domain, " : " domains, ") + addresses
                + (addresses == 1 ? " MX address: " : " MX addresses: ") + fail + " fail, " + warn + " warn, "
                + unknown + " unknown; " + status(reports).label();
    }

    private static List<RuleFinding> all(List<DomainReport> reports) {
        List<RuleFinding> all = new ArrayList<>();
        for (DomainReport domain : reports) {
            for (AuditFinding finding : domain.allFindings()) {
                all.add(finding.finding());
            }
        }
        return all;
    }

    private static void table(StringBuilder out, String indent, List<RuleFinding> findings) {
        for (RuleFinding f : findings) {
            out.append(indent)
                    .append(String.format(
                            Locale.ROOT,
                            "%-5s %-14s %-31s %-23s %s",
                            f.requirement(),
                            verdict(f.verdict()),
                            f.check(),
                            f.source(),
                            f.evidence()))
                    .append(System.lineSeparator());
        }
    }

    private static List<Map<String, Object>> findings(List<RuleFinding> findings) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (RuleFinding f : findings) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requirement", f.requirement());
            m.put("verdict", f.verdict().name().toLowerCase(Locale.ROOT));
            m.put("check", f.check());
            m.put("source", f.source());
            m.put("evidence", f.evidence());
            list.add(m);
        }
        return list;
    }

    private static Map<String, Object> address(MxAddress address) {
        TlsScan scan = address.scan();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("address", scan.endpoint().address().getAddress().getHostAddress());
        m.put("port", scan.endpoint().address().getPort());
        m.put("handshakes", scan.handshakes());
        scan.problem().ifPresent(problem -> m.put("problem", problem));
        if (scan.incomplete()) {
            m.put(
                    "gaps",
                    scan.gaps().stream()
                            .map(org.mxpolicy.scan.ScanGap::describe)
                            .toList());
        }
        List<Map<String, Object>> versions = new ArrayList<>();
        for (VersionScan version : scan.versions()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("version", version.version());
            v.put("cipher_order", version.order().name().toLowerCase(Locale.ROOT));
            v.put("suites", version.suites());
            v.put("groups", version.groups());
            v.put("signature_schemes", version.signatureSchemes());
            versions.add(v);
        }
        m.put("versions", versions);
        List<Map<String, Object>> chain = new ArrayList<>();
        for (CertificateInfo certificate : scan.chain()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("subject", certificate.subject());
            c.put("issuer", certificate.issuer());
            c.put("key", certificate.key());
            c.put("signature_algorithm", certificate.signatureAlgorithm());
            c.put("not_after", certificate.notAfter().toString());
            chain.add(c);
        }
        m.put("chain", chain);
        m.put("findings", findings(address.findings()));
        return m;
    }

    /** What the address accepted; a scan whose every version probe went unanswered does not say "no TLS". */
    private static String accepted(TlsScan scan) {
        if (!scan.versions().isEmpty()) {
            return String.join(", ", scan.protocols());
        }
        return scan.incomplete() ? "no answer" : "no TLS";
    }
}
