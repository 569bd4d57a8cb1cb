package org.mxpolicy.audit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.scan.EndpointScanner;
import org.mxpolicy.scan.RuleFinding;
import org.mxpolicy.scan.TlsConformance;
import org.mxpolicy.scan.TlsEndpoint;
import org.mxpolicy.scan.TlsScan;
import org.mxpolicy.scan.TlsStart;
import org.mxpolicy.scan.Verdict;
import org.mxpolicy.tls.TlsRuleSet;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The MX side of an audit: for each domain, the MX RRset (validated by mxpolicy's own lookup),
 * every address of every MX host, and on each address a TLS scan of port 25 with STARTTLS, judged
 * against the TR-03116-4 edition in force (TR-03108 03-M, and 12-R for the certificates).
 *
 * <p>Domains are resolved and addresses scanned {@code parallel} at a time; an address shared by
 * several domains or host names is scanned once per host name. The scanner's own limit per IP
 * keeps every destination from seeing more than a few connections at once.
 */
public final class MxAudit {

    /** Inbound SMTP (RFC 5321 section 4.5.4.2 and RFC 3207). */
    public static final int SMTP_PORT = 25;
    /** The TR-03108 requirement an MX's TLS serves. */
    public static final String INBOUND = "03-M";

    private final DnsLookup dns;
    private final EndpointScanner scanner;
    private final TlsRuleSet rules;
    private final int parallel;
    private final int port;

    /**
     * @param port the port scanned on each MX address: {@link #SMTP_PORT}, other values only for
     *     labs
     */
    public MxAudit(DnsLookup dns, EndpointScanner scanner, TlsRuleSet rules, int parallel, int port) {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1");
        }
        this.dns = dns;
        this.scanner = scanner;
        this.rules = rules;
        this.parallel = parallel;
        this.port = port;
    }

    /** Audits {@code domains}, in the order given. */
    public List<DomainReport> audit(List<String> domains) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(parallel, runnable -> {
            Thread thread = new Thread(runnable, "audit");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Resolved>> lookups = new ArrayList<>();
            for (String domain : domains) {
                lookups.add(pool.submit(() -> resolve(domain)));
            }
            List<Resolved> resolved = new ArrayList<>();
            for (Future<Resolved> lookup : lookups) {
                resolved.add(get(lookup));
            }
            Map<TlsEndpoint, Future<TlsScan>> scans = new ConcurrentHashMap<>();
            for (Resolved domain : resolved) {
                for (ResolvedHost host : domain.hosts()) {
                    for (InetAddress address : host.addresses()) {
                        TlsEndpoint endpoint =
                                new TlsEndpoint(host.name(), new InetSocketAddress(address, port), TlsStart.SMTP);
                        scans.computeIfAbsent(endpoint, e -> pool.submit((Callable<TlsScan>) () -> scanner.scan(e)));
                    }
                }
            }
            List<DomainReport> reports = new ArrayList<>();
            for (Resolved domain : resolved) {
                List<MxHost> hosts = new ArrayList<>();
                for (ResolvedHost host : domain.hosts()) {
                    List<MxAddress> addresses = new ArrayList<>();
                    for (InetAddress address : host.addresses()) {
                        TlsScan scan = get(scans.get(
                                new TlsEndpoint(host.name(), new InetSocketAddress(address, port), TlsStart.SMTP)));
                        addresses.add(new MxAddress(scan, TlsConformance.judge(scan, rules, INBOUND)));
                    }
                    hosts.add(new MxHost(host.name(), host.preference(), host.findings(), addresses));
                }
                reports.add(new DomainReport(domain.domain(), domain.findings(), hosts));
            }
            return reports;
        } finally {
            pool.shutdownNow();
        }
    }

    private record Resolved(String domain, List<RuleFinding> findings, List<ResolvedHost> hosts) {}

    private record ResolvedHost(String name, int preference, List<RuleFinding> findings, List<InetAddress> addresses) {}

    private Resolved resolve(String domain) {
        String bare = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        Name name;
        try {
            name = Name.fromString(bare + ".");
        } catch (TextParseException e) {
            return new Resolved(
                    bare,
                    List.of(finding("mx.rrset", Verdict.FAIL, "not a domain name: " + e.getMessage())),
                    List.of());
        }
        DnsAnswer answer = dns.lookup(name, Type.MX);
        String security = "DNSSEC " + answer.security();
        if (answer.security() == DnsAnswer.Security.FAILED) {
            return new Resolved(
                    bare,
                    List.of(finding(
                            "mx.rrset",
                            Verdict.UNKNOWN,
                            "MX lookup failed: " + answer.problem().orElse("no answer"))),
                    List.of());
        }
        if (answer.security() == DnsAnswer.Security.BOGUS) {
            return new Resolved(
                    bare,
                    List.of(finding(
                            "mx.rrset",
                            Verdict.FAIL,
                            "MX answer does not validate: " + answer.problem().orElse("bogus"))),
                    List.of());
        }
        if (answer.rcode() == Rcode.NXDOMAIN) {
            return new Resolved(
                    bare,
                    List.of(finding("mx.rrset", Verdict.FAIL, "the domain does not exist (" + security + ")")),
                    List.of());
        }
        List<MXRecord> mx = answer.records().stream()
                .filter(MXRecord.class::isInstance)
                .map(MXRecord.class::cast)
                .sorted(Comparator.comparingInt(MXRecord::getPriority)
                        .thenComparing(r -> r.getTarget().toString()))
                .toList();
        if (mx.size() == 1 && mx.get(0).getTarget().equals(Name.root)) {
            return new Resolved(
                    bare,
                    List.of(finding(
                            "mx.rrset",
                            Verdict.NOT_APPLICABLE,
                            "null MX (RFC 7505): the domain accepts no mail (" + security + ")")),
                    List.of());
        }
        List<ResolvedHost> hosts = new ArrayList<>();
        String evidence;
        if (mx.isEmpty()) {
            // RFC 5321 section 5.1: without MX records, the domain itself is the exchange.
            hosts.add(host(name, 0));
            evidence = "no MX records; the domain itself is the mail exchange (" + security + ")";
        } else {
            for (MXRecord record : mx) {
                hosts.add(host(record.getTarget(), record.getPriority()));
            }
            evidence = mx.stream()
                            .map(r -> r.getPriority() + " " + r.getTarget())
                            .reduce((a, b) -> a + ", " + b)
                            .orElse("")
                    + " (" + security + ")";
        }
        return new Resolved(bare, List.of(finding("mx.rrset", Verdict.PASS, evidence)), hosts);
    }

    private ResolvedHost host(Name exchange, int preference) {
        String host = exchange.toString(true);
        List<InetAddress> addresses = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean failed = false;
        for (int type : new int[] {Type.A, Type.AAAA}) {
            DnsAnswer answer = dns.lookup(exchange, type);
            if (answer.security() == DnsAnswer.Security.FAILED || answer.security() == DnsAnswer.Security.BOGUS) {
                failed |= answer.security() == DnsAnswer.Security.FAILED;
                problems.add(Type.string(type) + " " + answer.security() + ": "
                        + answer.problem().orElse("no answer"));
                continue;
            }
            for (Record record : answer.records()) {
                if (record instanceof ARecord a) {
                    addresses.add(a.getAddress());
                } else if (record instanceof AAAARecord aaaa) {
                    addresses.add(aaaa.getAddress());
                }
            }
        }
        List<RuleFinding> findings = new ArrayList<>();
        if (addresses.isEmpty()) {
            findings.add(finding(
                    "mx.address",
                    failed ? Verdict.UNKNOWN : Verdict.FAIL,
                    problems.isEmpty() ? "no A or AAAA records" : String.join("; ", problems)));
        } else if (!problems.isEmpty()) {
            findings.add(finding("mx.address", failed ? Verdict.UNKNOWN : Verdict.FAIL, String.join("; ", problems)));
        }
        return new ResolvedHost(host, preference, findings, addresses);
    }

    private static RuleFinding finding(String check, Verdict verdict, String evidence) {
        return new RuleFinding(INBOUND, check, "RFC 5321 5.1", verdict, evidence);
    }

    private static <T> T get(Future<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("an audit step failed unexpectedly", e.getCause());
        }
    }
}
