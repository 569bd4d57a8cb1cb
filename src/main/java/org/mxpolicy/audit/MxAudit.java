package org.mxpolicy.audit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.probe.PolicyObservation;
import org.mxpolicy.record.MtaStsMode;
import org.mxpolicy.record.MtaStsPolicy;
import org.mxpolicy.record.TlsaRecord;
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
 * The audit of mail domains as senders find them: for each domain the MX RRset (validated by
 * mxpolicy's own lookup) and its DNSSEC status, every MX host's address and TLSA records, a TLS
 * scan of port 25 with STARTTLS on every address (judged against the TR-03116-4 edition in
 * force, TR-03108 03-M and 12-R), the presented chain against the TLSA records (05-M, RFC 7672),
 * the MTA-STS policy as senders fetch it (07-R, 08-R) and the TLS-RPT policy (10-M).
 *
 * <p>Domains are resolved and addresses scanned {@code parallel} at a time, so at most that many
 * DNS questions and policy fetches are under way at once; an address shared by several domains
 * or host names is scanned once per host name. The per-IP limit, shared by the scanner and the
 * policy fetches, keeps every destination from seeing more than a few connections at once.
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
    private final PolicyProbes policies;
    private final Map<String, TlsRptRules.MailboxDomain> mailboxes = new ConcurrentHashMap<>();

    /**
     * An audit that fetches no MTA-STS policy (each is reported as not fetched).
     *
     * @param port the port scanned on each MX address: {@link #SMTP_PORT}, other values only for
     *     labs
     */
    public MxAudit(DnsLookup dns, EndpointScanner scanner, TlsRuleSet rules, int parallel, int port) {
        this(dns, scanner, rules, parallel, port, PolicyProbes.none(Instant.EPOCH));
    }

    /**
     * @param port the port scanned on each MX address: {@link #SMTP_PORT}, other values only for
     *     labs (the TLSA records are looked up at {@code _<port>._tcp})
     * @param policies the MTA-STS policy fetch, the CAs PKIX senders trust and the instant of
     *     judging
     */
    public MxAudit(
            DnsLookup dns, EndpointScanner scanner, TlsRuleSet rules, int parallel, int port, PolicyProbes policies) {
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1");
        }
        this.dns = dns;
        this.scanner = scanner;
        this.rules = rules;
        this.parallel = parallel;
        this.port = port;
        this.policies = policies;
    }

    /** Audits {@code domains}, in the order given. */
    public List<DomainReport> audit(List<String> domains) throws InterruptedException {
        return audit(domains, Map.of());
    }

    /**
     * Audits {@code domains}, in the order given, and for the provider's own domains the
     * endpoints {@code own} names per domain (TR-03108 01-M, 02-R; the policy host for 07-R).
     */
    public List<DomainReport> audit(List<String> domains, Map<String, List<OwnEndpoint>> own)
            throws InterruptedException {
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
            Map<String, Future<List<ResolvedEndpoint>>> ownLookups = new LinkedHashMap<>();
            for (Resolved domain : resolved) {
                List<OwnEndpoint> endpoints = own.getOrDefault(domain.domain(), List.of());
                if (!endpoints.isEmpty()) {
                    ownLookups.put(domain.domain(), pool.submit(() -> resolveOwn(endpoints)));
                }
            }
            Map<String, List<ResolvedEndpoint>> ownResolved = new LinkedHashMap<>();
            for (var lookup : ownLookups.entrySet()) {
                ownResolved.put(lookup.getKey(), get(lookup.getValue()));
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
            for (List<ResolvedEndpoint> endpoints : ownResolved.values()) {
                for (ResolvedEndpoint endpoint : endpoints) {
                    for (TlsEndpoint target : endpoint.targets()) {
                        scans.computeIfAbsent(target, e -> pool.submit((Callable<TlsScan>) () -> scanner.scan(e)));
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
                        List<RuleFinding> findings = new ArrayList<>(TlsConformance.judge(scan, rules, INBOUND));
                        if (!host.tlsa().isEmpty()) {
                            findings.add(DaneRules.match(host.name(), host.tlsa(), scan));
                        }
                        domain.policy()
                                .ifPresent(policy -> findings.add(MtaStsRules.mxCertificate(
                                        policy, host.name(), scan, policies.trust(), policies.at())));
                        addresses.add(new MxAddress(scan, findings));
                    }
                    hosts.add(new MxHost(host.name(), host.preference(), host.findings(), addresses));
                }
                List<ClientEndpoint> endpoints = new ArrayList<>();
                List<RuleFinding> findings = new ArrayList<>(domain.findings());
                List<ResolvedEndpoint> mine = ownResolved.getOrDefault(domain.domain(), List.of());
                if (own.containsKey(domain.domain())) {
                    List<OwnEndpoint> configured =
                            mine.stream().map(ResolvedEndpoint::endpoint).toList();
                    findings.add(ClientRules.implicitTlsOffered(configured));
                    findings.add(ClientRules.starttlsOffered(configured));
                }
                for (ResolvedEndpoint endpoint : mine) {
                    OwnEndpoint wanted = endpoint.endpoint();
                    if (endpoint.targets().isEmpty()) {
                        endpoints.add(new ClientEndpoint(
                                wanted.service(),
                                wanted.host() + ":" + wanted.port(),
                                Optional.empty(),
                                List.of(ClientRules.noAddress(wanted, endpoint.problem()))));
                    }
                    for (TlsEndpoint target : endpoint.targets()) {
                        TlsScan scan = get(scans.get(target));
                        endpoints.add(new ClientEndpoint(
                                wanted.service(),
                                target.toString(),
                                Optional.of(scan),
                                TlsConformance.judge(
                                        scan, rules, wanted.requirement().id(), wanted.encryption())));
                    }
                }
                reports.add(new DomainReport(domain.domain(), findings, hosts, endpoints));
            }
            return reports;
        } finally {
            pool.shutdownNow();
        }
    }

    private record Resolved(
            String domain, List<RuleFinding> findings, List<ResolvedHost> hosts, Optional<MtaStsPolicy> policy) {

        Resolved(String domain, List<RuleFinding> findings) {
            this(domain, findings, List.of(), Optional.empty());
        }
    }

    private record ResolvedEndpoint(OwnEndpoint endpoint, List<TlsEndpoint> targets, String problem) {}

    /** The addresses of each own endpoint's host, looked up as the MX hosts are. */
    private List<ResolvedEndpoint> resolveOwn(List<OwnEndpoint> endpoints) {
        List<ResolvedEndpoint> resolved = new ArrayList<>();
        for (OwnEndpoint endpoint : endpoints) {
            List<TlsEndpoint> targets = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            for (int type : new int[] {Type.A, Type.AAAA}) {
                DnsAnswer answer = dns.lookup(name(endpoint.host()), type);
                if (answer.security() == DnsAnswer.Security.FAILED || answer.security() == DnsAnswer.Security.BOGUS) {
                    problems.add(Type.string(type) + " " + answer.security() + ": "
                            + answer.problem().orElse("no answer"));
                }
                for (Record record : answer.records()) {
                    InetAddress address = record instanceof ARecord a
                            ? a.getAddress()
                            : record instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
                    if (address != null) {
                        targets.add(new TlsEndpoint(
                                endpoint.host(), new InetSocketAddress(address, endpoint.port()), endpoint.start()));
                    }
                }
            }
            resolved.add(new ResolvedEndpoint(
                    endpoint, targets, problems.isEmpty() ? "no A or AAAA records" : String.join("; ", problems)));
        }
        return resolved;
    }

    private record ResolvedHost(
            String name,
            int preference,
            List<RuleFinding> findings,
            List<InetAddress> addresses,
            DnsAnswer.Security security,
            List<TlsaRecord> tlsa) {}

    private Resolved resolve(String domain) throws InterruptedException {
        String bare = bare(domain);
        Name name;
        try {
            name = Name.fromString(bare + ".");
        } catch (TextParseException e) {
            return new Resolved(
                    bare, List.of(finding("mx.rrset", Verdict.FAIL, "not a domain name: " + e.getMessage())));
        }
        DnsAnswer answer = dns.lookup(name, Type.MX);
        String security = "DNSSEC " + answer.security();
        if (answer.security() == DnsAnswer.Security.FAILED) {
            return new Resolved(
                    bare,
                    List.of(finding(
                            "mx.rrset",
                            Verdict.UNKNOWN,
                            "MX lookup failed: " + answer.problem().orElse("no answer"))));
        }
        if (answer.security() == DnsAnswer.Security.BOGUS) {
            return new Resolved(
                    bare,
                    List.of(
                            finding(
                                    "mx.rrset",
                                    Verdict.FAIL,
                                    "MX answer does not validate: "
                                            + answer.problem().orElse("bogus")),
                            DaneRules.mxSigned(answer.security())));
        }
        if (answer.rcode() == Rcode.NXDOMAIN) {
            return new Resolved(
                    bare, List.of(finding("mx.rrset", Verdict.FAIL, "the domain does not exist (" + security + ")")));
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
                            "null MX (RFC 7505): the domain accepts no mail (" + security + ")")));
        }
        List<ResolvedHost> hosts = new ArrayList<>();
        String evidence;
        boolean mxSecure = answer.security() == DnsAnswer.Security.SECURE;
        if (mx.isEmpty()) {
            // RFC 5321 section 5.1: without MX records, the domain itself is the exchange.
            hosts.add(host(name, 0, mxSecure));
            evidence = "no MX records; the domain itself is the mail exchange (" + security + ")";
        } else {
            for (MXRecord record : mx) {
                hosts.add(host(record.getTarget(), record.getPriority(), mxSecure));
            }
            evidence = mx.stream()
                            .map(r -> r.getPriority() + " " + r.getTarget())
                            .reduce((a, b) -> a + ", " + b)
                            .orElse("")
                    + " (" + security + ")";
        }
        List<RuleFinding> findings = new ArrayList<>();
        findings.add(finding("mx.rrset", Verdict.PASS, evidence));
        findings.add(DaneRules.mxSigned(answer.security()));
        Optional<MtaStsPolicy> policy =
                mtaSts(bare, hosts.stream().map(ResolvedHost::name).toList(), findings);
        tlsRpt(bare, findings);
        return new Resolved(bare, findings, hosts, policy);
    }

    private ResolvedHost host(Name exchange, int preference, boolean mxSecure) {
        String host = exchange.toString(true);
        List<InetAddress> addresses = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean failed = false;
        DnsAnswer.Security security = DnsAnswer.Security.SECURE;
        for (int type : new int[] {Type.A, Type.AAAA}) {
            DnsAnswer answer = dns.lookup(exchange, type);
            security = weaker(security, answer.security());
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
        List<TlsaRecord> usable = List.of();
        if (!mxSecure) {
            findings.add(DaneRules.tlsaNotReached(host, "the MX RRset is not secure"));
        } else {
            findings.add(DaneRules.hostSigned(host, security));
            if (security != DnsAnswer.Security.SECURE) {
                findings.add(DaneRules.tlsaNotReached(host, "its address records are not secure"));
            } else {
                String owner = "_" + port + "._tcp." + host;
                DaneRules.TlsaJudgement tlsa = DaneRules.tlsa(owner, dns.lookup(tlsaName(port, exchange), Type.TLSA));
                findings.add(tlsa.finding());
                usable = tlsa.usable();
            }
        }
        return new ResolvedHost(host, preference, findings, addresses, security, usable);
    }

    /** {@code _<port>._tcp.<host>}, the TLSA owner of an SMTP server (RFC 7672 section 2.2.3). */
    private static Name tlsaName(int port, Name exchange) {
        try {
            return Name.concatenate(Name.fromConstantString("_" + port + "._tcp"), exchange);
        } catch (org.xbill.DNS.NameTooLongException e) {
            return exchange;
        }
    }

    /** The domain's MTA-STS findings (07-R, 08-R), and the policy senders would hold. */
    private Optional<MtaStsPolicy> mtaSts(String domain, List<String> mxHosts, List<RuleFinding> findings)
            throws InterruptedException {
        MtaStsRules.TxtJudgement txt = MtaStsRules.txt(domain, dns.lookup(name("_mta-sts." + domain), Type.TXT));
        findings.add(txt.finding());
        if (txt.id().isEmpty()) {
            return Optional.empty();
        }
        PolicyObservation fetched = fetch(domain);
        MtaStsRules.PolicyJudgement judged = MtaStsRules.policy(fetched, mxHosts);
        findings.addAll(judged.findings());
        findings.add(MtaStsRules.policyHostCertificate(fetched));
        return judged.policy();
    }

    private PolicyObservation fetch(String domain) throws InterruptedException {
        Name host = name("mta-sts." + domain);
        List<InetAddress> addresses = new ArrayList<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            for (Record record : dns.lookup(host, type).records()) {
                if (record instanceof ARecord a) {
                    addresses.add(a.getAddress());
                } else if (record instanceof AAAARecord aaaa) {
                    addresses.add(aaaa.getAddress());
                }
            }
        }
        return policies.politeFetch(domain, addresses);
    }

    /** The domain's TLS-RPT findings (10-M): the policy, and each report mailbox's domain. */
    private void tlsRpt(String domain, List<RuleFinding> findings) throws InterruptedException {
        TlsRptRules.PolicyJudgement policy =
                TlsRptRules.policy(domain, dns.lookup(name("_smtp._tls." + domain), Type.TXT));
        findings.add(policy.finding());
        for (String mailbox : policy.mailboxDomains()) {
            TlsRptRules.MailboxDomain known = mailboxes.get(mailbox);
            if (known == null) {
                known = mailbox(mailbox);
                mailboxes.putIfAbsent(mailbox, known);
            }
            findings.add(TlsRptRules.mailbox(known));
        }
    }

    /**
     * Whether senders must authenticate the MX of a report mailbox's domain: DANE (a secure MX
     * RRset and a host with secure, usable TLSA records) or an MTA-STS policy in enforce mode.
     */
    private TlsRptRules.MailboxDomain mailbox(String domain) throws InterruptedException {
        Name name = name(domain);
        DnsAnswer mx = dns.lookup(name, Type.MX);
        if (mx.security() == DnsAnswer.Security.FAILED) {
            return new TlsRptRules.MailboxDomain(
                    domain,
                    false,
                    false,
                    Optional.of("its MX lookup did not answer: " + mx.problem().orElse("")));
        }
        boolean dane = false;
        if (mx.security() == DnsAnswer.Security.SECURE) {
            List<Name> exchanges = mx.records().stream()
                    .filter(MXRecord.class::isInstance)
                    .map(r -> ((MXRecord) r).getTarget())
                    .filter(target -> !target.equals(Name.root))
                    .toList();
            if (exchanges.isEmpty() && mx.records().isEmpty()) {
                exchanges = List.of(name);
            }
            for (Name exchange : exchanges) {
                if (dns.lookup(exchange, Type.A).security() != DnsAnswer.Security.SECURE) {
                    continue;
                }
                DnsAnswer tlsa = dns.lookup(tlsaName(SMTP_PORT, exchange), Type.TLSA);
                if (!DaneRules.tlsa("_25._tcp." + exchange.toString(true), tlsa)
                        .usable()
                        .isEmpty()) {
                    dane = true;
                    break;
                }
            }
        }
        boolean enforce = false;
        MtaStsRules.TxtJudgement txt = MtaStsRules.txt(domain, dns.lookup(name("_mta-sts." + domain), Type.TXT));
        if (txt.id().isPresent()) {
            enforce = MtaStsRules.policy(fetch(domain), List.of())
                    .policy()
                    .map(p -> p.mode() == MtaStsMode.ENFORCE)
                    .orElse(false);
        }
        return new TlsRptRules.MailboxDomain(domain, dane, enforce, Optional.empty());
    }

    /** FAILED before BOGUS before INSECURE before SECURE: the weakest link decides. */
    private static DnsAnswer.Security weaker(DnsAnswer.Security a, DnsAnswer.Security b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    private static String bare(String domain) {
        String lower = domain.strip().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a domain name: " + text, e);
        }
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
