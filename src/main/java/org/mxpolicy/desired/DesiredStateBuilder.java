package org.mxpolicy.desired;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.cert.LeafChecks;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.config.ClientServices;
import org.mxpolicy.config.FileReference;
import org.mxpolicy.config.MailDomain;
import org.mxpolicy.config.MtaStsSettings;
import org.mxpolicy.config.MxHost;
import org.mxpolicy.config.ProviderConfig;
import org.mxpolicy.config.ZoneSettings;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.record.ClientService;
import org.mxpolicy.record.ClientServiceRecords;
import org.mxpolicy.record.ClientServiceRecords.ServiceEndpoint;
import org.mxpolicy.record.MtaStsPolicy;
import org.mxpolicy.record.SrvTarget;
import org.mxpolicy.record.TlsRptPolicy;
import org.mxpolicy.record.TlsaRecord;
import org.mxpolicy.record.TlsaRecordSet;
import org.mxpolicy.record.TlsaUsage;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/**
 * Derives the desired state from a validated config and the certificates it names: TLSA for
 * every MX host, {@code _mta-sts} TXT and policy, {@code _smtp._tls} TXT for each domain and MX
 * host, and client-service SRV records, grouped into the configured zones.
 *
 * <p>Every certificate problem of every host is collected before failing, so one run shows the
 * operator all of them.
 */
public final class DesiredStateBuilder {

    /** Longest string in one TXT character-string, RFC 1035 section 3.3. */
    static final int TXT_STRING_LIMIT = 255;

    private final CertificateSource certificates;
    private final Instant now;

    /** MX host name to keys whose usage-3 records stay published besides the config's. */
    private final Map<String, List<SubjectPublicKey>> retainedKeys;

    public DesiredStateBuilder(CertificateSource certificates, Instant now) {
        this(certificates, now, Map.of());
    }

    /**
     * @param retainedKeys per MX host, keys whose records must stay published although the config
     *     no longer names them: the key a rollover is retiring, until every address of the MX
     *     presents the new one (RFC 7671 section 8.1)
     */
    public DesiredStateBuilder(
            CertificateSource certificates, Instant now, Map<String, List<SubjectPublicKey>> retainedKeys) {
        this.certificates = certificates;
        this.now = now;
        this.retainedKeys = Map.copyOf(retainedKeys);
    }

    public DesiredState build(ProviderConfig config) throws InvalidInputException {
        return build(config, Optional.empty());
    }

    /**
     * The desired records of one zone only, e.g. of the MX hosts' zone for a rollover: the other
     * domains count only where their TLS-RPT settings go into the MX hosts' {@code _smtp._tls}
     * record, so thousands of customer domains cost no policy or record each.
     */
    public ZoneFragment zone(ProviderConfig config, String zone) throws InvalidInputException {
        return build(config, Optional.of(zone)).zones().stream()
                .filter(z -> z.zoneName().equals(zone))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not a zone of the config: " + zone));
    }

    /** The whole desired state, or with {@code onlyZone} only what that zone's records need. */
    private DesiredState build(ProviderConfig config, Optional<String> onlyZone) throws InvalidInputException {
        Predicate<String> wanted = zone -> onlyZone.map(zone::equals).orElse(true);
        // a domain outside every configured zone still has its MX hosts and policy observed
        Predicate<String> ownerWanted = owner ->
                onlyZone.isEmpty() || config.zoneFor(owner).filter(wanted).isPresent();
        List<Finding> findings = new ArrayList<>();
        List<Record> records = new ArrayList<>();
        List<DomainPolicy> policies = new ArrayList<>();
        // owner name -> the TLS-RPT policies that ask for reports about it
        Map<String, List<TlsRptPolicy>> tlsRpt = new LinkedHashMap<>();

        Map<String, MxHost> mxHosts = new LinkedHashMap<>();
        for (MailDomain domain : config.domains()) {
            for (MxHost mx : domain.mx()) {
                mxHosts.putIfAbsent(mx.host(), mx);
            }
        }
        List<DesiredMx> desiredMx = new ArrayList<>();
        for (MxHost mx : mxHosts.values()) {
            tlsaRecords(mx, findings, desiredMx).forEach(records::add);
        }
        List<DesiredDomain> domains = new ArrayList<>();
        Map<String, List<Nameserver>> nameservers = new LinkedHashMap<>();
        config.zones().forEach((name, zone) -> nameservers.put(name, Nameserver.of(zone.nameservers())));

        for (MailDomain domain : config.domains()) {
            if (!ownerWanted.test(domain.name())) {
                // DANE failures are reported to the MX host's own TLS-RPT policy (RFC 8460 section 3).
                domain.tlsRpt().ifPresent(settings -> {
                    TlsRptPolicy policy = new TlsRptPolicy(
                            settings.rua().stream().map(u -> u.value()).toList());
                    for (MxHost mx : domain.mx()) {
                        if (ownerWanted.test(mx.host())) {
                            tlsRpt.computeIfAbsent(mx.host(), k -> new ArrayList<>())
                                    .add(policy);
                        }
                    }
                });
                continue;
            }
            domains.add(new DesiredDomain(
                    domain.name(),
                    domain.mx().stream().map(MxHost::host).toList(),
                    domain.tlsRpt().isPresent()));
            long ttl = zoneTtl(config, domain.name());
            domain.mtaSts().ifPresent(settings -> {
                MtaStsPolicy policy = mtaStsPolicy(domain, settings, findings);
                policies.add(new DomainPolicy(domain.name(), policy));
                records.add(txt("_mta-sts." + domain.name(), ttl, policy.txtValue()));
            });
            domain.tlsRpt().ifPresent(settings -> {
                TlsRptPolicy policy = new TlsRptPolicy(
                        settings.rua().stream().map(u -> u.value()).toList());
                tlsRpt.computeIfAbsent(domain.name(), k -> new ArrayList<>()).add(policy);
                // DANE failures are reported to the MX host's own TLS-RPT policy (RFC 8460 section 3).
                for (MxHost mx : domain.mx()) {
                    tlsRpt.computeIfAbsent(mx.host(), k -> new ArrayList<>()).add(policy);
                }
            });
            domain.clientServices().ifPresent(services -> srvRecords(domain.name(), ttl, services, records));
        }
        tlsRpt.forEach((owner, list) -> records.add(txt(
                "_smtp._tls." + owner,
                zoneTtl(config, owner),
                TlsRptPolicy.union(list).txtValue())));

        if (findings.stream().anyMatch(Finding::isError)) {
            throw new InvalidInputException(
                    findings.stream().filter(Finding::isError).toList());
        }
        return new DesiredState(
                groupByZone(config, records, wanted),
                policies,
                findings,
                desiredMx,
                domains,
                nameservers,
                httpsReportOwners(config));
    }

    /** {@code _smtp._tls} owners whose domain explicitly allows https report addresses. */
    public static Set<Name> httpsReportOwners(ProviderConfig config) {
        Set<Name> allowed = new HashSet<>();
        for (MailDomain domain : config.domains()) {
            if (domain.tlsRpt().map(t -> t.allowHttps()).orElse(false)) {
                allowed.add(Name.fromConstantString("_smtp._tls." + domain.name() + "."));
                domain.mx().forEach(mx -> allowed.add(Name.fromConstantString("_smtp._tls." + mx.host() + ".")));
            }
        }
        return allowed;
    }

    private List<Record> tlsaRecords(MxHost mx, List<Finding> findings, List<DesiredMx> desiredMx) {
        Optional<CertificateChain> chain = load(() -> certificates.chain(mx.cert()), findings);
        List<SubjectPublicKey> nextKeys = new ArrayList<>();
        for (FileReference file : mx.nextKeys()) {
            load(() -> certificates.publicKey(file), findings).ifPresent(nextKeys::add);
        }
        List<SubjectPublicKey> configuredNextKeys = List.copyOf(nextKeys);
        nextKeys.addAll(retainedKeys.getOrDefault(mx.host(), List.of()));
        List<X509Certificate> extraIssuers = new ArrayList<>();
        for (FileReference file : mx.tlsa().extraIssuers()) {
            load(() -> certificates.certificates(file), findings).ifPresent(extraIssuers::addAll);
        }
        if (chain.isEmpty()) {
            return List.of();
        }
        desiredMx.add(new DesiredMx(
                mx.host(), mx.port(), chain.get(), configuredNextKeys, mx.tlsa().matching()));
        findings.addAll(LeafChecks.check(chain.get(), mx.host(), now, mx.cert().position()));
        if (mx.tlsa().selector() == TlsaRecord.SELECTOR_FULL_CERTIFICATE) {
            findings.add(Finding.warning("tlsa.selector-0", mx.tlsa().position(), TlsaUsage.selectorWarning()));
        }
        TlsaRecordSet set = TlsaRecordSet.forMx(
                mx.host(),
                mx.port(),
                chain.get(),
                nextKeys,
                extraIssuers,
                mx.tlsa().issuer(),
                mx.tlsa().selector(),
                mx.tlsa().matching());
        set.notes()
                .forEach(note -> findings.add(
                        Finding.warning("tlsa.next-key-unpublished", mx.tlsa().position(), note)));
        Name owner = name(set.owner());
        List<Record> out = new ArrayList<>();
        for (TlsaRecord r : set.records()) {
            out.add(new TLSARecord(owner, DClass.IN, mx.tlsa().ttl(), r.usage(), r.selector(), r.matching(), r.data()));
        }
        return out;
    }

    /**
     * The MTA-STS policy of every domain that has one, in config order, from the config alone:
     * what {@code serve} needs, without the certificates and keys {@link #build} reads for the MX
     * hosts, so that a broken MX certificate does not keep the policies offline.
     *
     * @param findings receives the warnings about the policies
     */
    public static List<DomainPolicy> policies(ProviderConfig config, List<Finding> findings) {
        List<DomainPolicy> policies = new ArrayList<>();
        for (MailDomain domain : config.domains()) {
            domain.mtaSts()
                    .ifPresent(settings ->
                            policies.add(new DomainPolicy(domain.name(), mtaStsPolicy(domain, settings, findings))));
        }
        return List.copyOf(policies);
    }

    private static MtaStsPolicy mtaStsPolicy(MailDomain domain, MtaStsSettings settings, List<Finding> findings) {
        List<String> hosts = domain.mx().stream().map(MxHost::host).toList();
        List<String> patterns = settings.mx().isEmpty()
                ? hosts
                : settings.mx().stream().map(MtaStsSettings.Pattern::value).toList();
        MtaStsPolicy policy = new MtaStsPolicy(settings.mode(), patterns, settings.maxAge());
        for (String host : policy.uncovered(hosts)) {
            findings.add(Finding.warning(
                    "mta-sts.mx-not-covered",
                    settings.position(),
                    "MX host " + host + " of " + domain.name() + " matches no mx pattern of its MTA-STS policy;"
                            + " senders enforcing the policy will refuse to deliver there (add it under mta_sts.mx)"));
        }
        return policy;
    }

    private void srvRecords(String domain, long ttl, ClientServices services, List<Record> records) {
        Map<ClientService, List<ServiceEndpoint>> endpoints = new LinkedHashMap<>();
        services.services()
                .forEach((service, list) -> endpoints.put(
                        service,
                        list.stream()
                                .map(e -> new ServiceEndpoint(e.host(), e.port()))
                                .toList()));
        for (ClientServiceRecords.ServiceRecords set : ClientServiceRecords.build(domain, endpoints)) {
            Name owner = name(set.owner());
            for (SrvTarget t : set.targets()) {
                records.add(new SRVRecord(owner, DClass.IN, ttl, t.priority(), t.weight(), t.port(), name(t.target())));
            }
        }
    }

    private static List<ZoneFragment> groupByZone(
            ProviderConfig config, List<Record> records, Predicate<String> wanted) {
        Map<String, List<Record>> byZone = new LinkedHashMap<>();
        config.zones().keySet().stream().filter(wanted).forEach(zone -> byZone.put(zone, new ArrayList<>()));
        for (Record r : records) {
            String owner = r.getName().toString(true);
            String zone = config.zoneFor(owner)
                    .orElseThrow(() ->
                            new IllegalStateException("config loader let " + owner + " through outside every zone"));
            List<Record> inZone = byZone.get(zone);
            if (inZone != null) {
                inZone.add(r);
            }
        }
        List<ZoneFragment> fragments = new ArrayList<>();
        byZone.forEach((zone, list) -> fragments.add(new ZoneFragment(name(zone), list)));
        return fragments;
    }

    private static long zoneTtl(ProviderConfig config, String owner) {
        return config.zoneFor(owner)
                .map(z -> config.zones().get(z))
                .map(ZoneSettings::ttl)
                .orElse(ZoneSettings.DEFAULT_TTL);
    }

    /** A TXT record, its value split into strings of at most 255 octets (RFC 1035 section 3.3.14). */
    static TXTRecord txt(String owner, long ttl, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        List<String> strings = new ArrayList<>();
        for (int start = 0; start < bytes.length; start += TXT_STRING_LIMIT) {
            int end = Math.min(bytes.length, start + TXT_STRING_LIMIT);
            strings.add(new String(bytes, start, end - start, StandardCharsets.US_ASCII));
        }
        return new TXTRecord(name(owner), DClass.IN, ttl, strings);
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalStateException("config loader let invalid name " + text + " through", e);
        }
    }

    /**
     * The problems reading the certificates and keys a config names, for a config that has errors
     * of its own: reported with them, so that the operator sees every problem in one round. The
     * checks that need the time (expiry, names) wait until the config is valid.
     */
    public static List<Finding> fileProblems(ProviderConfig config, CertificateSource certificates) {
        List<Finding> findings = new ArrayList<>();
        Map<String, MxHost> mxHosts = new LinkedHashMap<>();
        config.domains().forEach(domain -> domain.mx().forEach(mx -> mxHosts.putIfAbsent(mx.host(), mx)));
        for (MxHost mx : mxHosts.values()) {
            load(() -> certificates.chain(mx.cert()), findings);
            for (FileReference file : mx.nextKeys()) {
                load(() -> certificates.publicKey(file), findings);
            }
            for (FileReference file : mx.tlsa().extraIssuers()) {
                load(() -> certificates.certificates(file), findings);
            }
        }
        return findings;
    }

    private interface Load<T> {
        T get() throws InvalidInputException;
    }

    private static <T> Optional<T> load(Load<T> load, List<Finding> findings) {
        try {
            return Optional.of(load.get());
        } catch (InvalidInputException e) {
            findings.addAll(e.findings());
            return Optional.empty();
        }
    }
}
