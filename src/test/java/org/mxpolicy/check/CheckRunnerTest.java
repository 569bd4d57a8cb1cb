package org.mxpolicy.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.config.ConfigLoader;
import org.mxpolicy.config.FileReference;
import org.mxpolicy.config.ProviderConfig;
import org.mxpolicy.desired.CertificateSource;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.desired.DesiredStateBuilder;
import org.mxpolicy.dns.AuthoritativeQuery;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.dns.NameServer;
import org.mxpolicy.dns.ServerAnswer;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.plan.ZonePlan;
import org.mxpolicy.probe.PolicyFetch;
import org.mxpolicy.probe.PolicyObservation;
import org.mxpolicy.probe.SmtpObservation;
import org.mxpolicy.probe.SmtpProbe;
import org.mxpolicy.store.JdbcReportStore;
import org.mxpolicy.store.StoreLocation;
import org.mxpolicy.tlsrpt.FailureDetail;
import org.mxpolicy.tlsrpt.ParsedReport;
import org.mxpolicy.tlsrpt.PolicyReport;
import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.ReportThresholds;
import org.mxpolicy.tlsrpt.TlsReport;
import org.mxpolicy.zone.RrsetChange;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The check's decisions against a world of fakes for the ports: a DNS that serves what the test
 * puts in it (all of it validated), an MX that presents a chosen chain, a policy host that
 * serves chosen bytes. Interop with real servers is in {@code CheckIT}.
 */
class CheckRunnerTest {

    private static final InMemoryPki.Issuer ROOT = InMemoryPki.rootCa("Check Root");
    private static final InMemoryPki.Issuer CA = InMemoryPki.intermediateCa("Check CA", ROOT);
    /** Another CA: its certificates match none of the DANE-TA records published for {@link #CA}. */
    private static final InMemoryPki.Issuer OTHER_CA = InMemoryPki.intermediateCa("Other CA", ROOT);

    private static final Instant NOW = InMemoryPki.NOW;
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String CONFIG = """
            zones:
              example.test: {}
            domains:
              - name: example.test
                mx:
                  - host: mx1.example.test
                    cert: mx1.pem
                    next_key: next.pem
                mta_sts: { mode: enforce, mx: [mx1.example.test] }
                tls_rpt: { rua: "mailto:tlsrpt@example.test" }
            """;

    private final Map<String, Object> files = new HashMap<>();
    /** The DNS as served: RRsets by owner and type; every answer is SECURE. */
    private final Map<String, List<Record>> dns = new ConcurrentHashMap<>();

    private final Map<String, Instant> signatureExpiry = new ConcurrentHashMap<>();
    private List<X509Certificate> liveChain;
    private boolean starttls = true;
    private byte[] servedPolicy;
    private boolean resolverDown;
    /** The addresses each policy fetch was given. */
    private final List<List<InetAddress>> fetchedFrom = new java.util.concurrent.CopyOnWriteArrayList<>();

    private CertificateChain diskChain;
    private ProviderConfig config;
    private DesiredState desired;

    private final CertificateSource source = new CertificateSource() {
        @Override
        public CertificateChain chain(FileReference file) {
            return (CertificateChain) files.get(file.path());
        }

        @Override
        public SubjectPublicKey publicKey(FileReference file) {
            return (SubjectPublicKey) files.get(file.path());
        }

        @Override
        public List<X509Certificate> certificates(FileReference file) {
            return chain(file).certificates();
        }
    };

    @BeforeEach
    void publishedAsDesired() throws Exception {
        diskChain = chain("mx1.example.test");
        files.put("mx1.pem", diskChain);
        files.put("next.pem", SubjectPublicKey.of(chain("mx1.example.test").leaf()));
        config = ConfigLoader.load(new StringReader(CONFIG), "provider.yaml").config();
        desired = new DesiredStateBuilder(source, NOW).build(config);
        for (ZoneFragment zone : desired.zones()) {
            for (List<Record> rrset : zone.rrsets()) {
                put(rrset);
            }
        }
        Name mx = Name.fromString("mx1.example.test.");
        put(List.of(new MXRecord(Name.fromString("example.test."), DClass.IN, 3600, 10, mx)));
        put(List.of(new ARecord(mx, DClass.IN, 3600, InetAddress.getByName("192.0.2.25"))));
        Name policyHost = Name.fromString("mta-sts.example.test.");
        put(List.of(new ARecord(policyHost, DClass.IN, 3600, InetAddress.getByName("192.0.2.80"))));
        put(List.of(new AAAARecord(policyHost, DClass.IN, 3600, InetAddress.getByName("2001:db8::80"))));
        put(List.of(new DNSKEYRecord(Name.fromString("example.test."), DClass.IN, 3600, 257, 3, 13, new byte[64])));
        liveChain = diskChain.certificates();
        servedPolicy = desired.policies().get(0).policy().bytes();
    }

    @Test
    void aWorldThatMatchesTheConfigIsOk() throws Exception {
        CheckReport report = check();

        assertThat(report.results())
                .filteredOn(r -> r.status() != CheckStatus.OK)
                .isEmpty();
        assertThat(report.status()).isEqualTo(CheckStatus.OK);
        assertThat(ids(report))
                .contains("dane.verified", "tlsa.disk-matched", "mta-sts.ok", "tlsrpt.ok", "plan.in-sync");
        assertThat(report.plans()).allMatch(ZonePlan::isEmpty);
    }

    @Test
    void aLiveCertificateWithAnUnpublishedKeyIsCritical() throws Exception {
        liveChain = chain("mx1.example.test", OTHER_CA).certificates();

        CheckReport report = check();

        assertThat(report.status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(result(report, "dane.live-unmatched").subject()).isEqualTo("mx1.example.test 192.0.2.25:25");
        assertThat(ids(report)).contains("cert.live-differs").doesNotContain("dane.verified");
    }

    @Test
    void aNewKeyFromThePublishedIssuerIsAuthenticatedByTheDaneTaRecord() throws Exception {
        liveChain = chain("mx1.example.test").certificates();

        CheckReport report = check();

        assertThat(result(report, "dane.verified").message()).contains("TLSA 2 1 1");
        assertThat(ids(report)).contains("cert.live-differs").doesNotContain("dane.live-unmatched");
    }

    @Test
    void noStarttlsIsCritical() throws Exception {
        starttls = false;

        CheckReport report = check();

        assertThat(report.status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(result(report, "smtp.starttls").message())
                .contains("STARTTLS is not offered (TR-03108-03-M)")
                .doesNotContain("02-M");
    }

    @Test
    void missingTlsaIsCriticalAndPlannedAsCreate() throws Exception {
        dns.remove(key("_25._tcp.mx1.example.test.", Type.TLSA));

        CheckReport report = check();

        assertThat(ids(report)).contains("tlsa.missing", "plan.pending");
        RrsetChange change = report.plans().get(0).changes().get(0);
        assertThat(change.kind()).isEqualTo(RrsetChange.Kind.CREATE);
        assertThat(change.owner()).isEqualTo(Name.fromString("_25._tcp.mx1.example.test."));
        assertThat(change.after()).hasSize(3); // current key, next key, issuer
    }

    @Test
    void aChangedPolicyServedUnderTheOldIdIsCritical() throws Exception {
        servedPolicy = (new String(servedPolicy, java.nio.charset.StandardCharsets.UTF_8).replace("enforce", "testing"))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);

        CheckReport report = check();

        assertThat(report.status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(ids(report)).contains("mta-sts.id-not-changed").doesNotContain("mta-sts.ok");
    }

    @Test
    void signaturesCloseToExpiryWarnThenGoCritical() throws Exception {
        signatureExpiry.put(key("_25._tcp.mx1.example.test.", Type.TLSA), NOW.plus(Duration.ofDays(2)));
        assertThat(statusOf(check(), "dnssec.rrsig-expiry")).isEqualTo(CheckStatus.WARNING);

        signatureExpiry.put(key("_25._tcp.mx1.example.test.", Type.TLSA), NOW.plus(Duration.ofHours(12)));
        assertThat(statusOf(check(), "dnssec.rrsig-expiry")).isEqualTo(CheckStatus.CRITICAL);
    }

    @Test
    void thePolicyIsFetchedFromTheAddressesOfTheValidatedLookup() throws Exception {
        CheckReport report = check();

        assertThat(ids(report)).contains("mta-sts.ok");
        assertThat(fetchedFrom)
                .containsExactly(List.of(InetAddress.getByName("192.0.2.80"), InetAddress.getByName("2001:db8::80")));
    }

    @Test
    void withTheResolverDownThePolicyHostIsUnknownLikeEveryOtherLookup() throws Exception {
        resolverDown = true;

        CheckReport report = check();

        assertThat(report.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(statusOf(report, "mta-sts.address-lookup")).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(result(report, "mta-sts.address-lookup").message())
                .contains("cannot look up mta-sts.example.test. A: 127.0.0.1:53: port unreachable");
        assertThat(ids(report)).doesNotContain("mta-sts.fetch");
        assertThat(fetchedFrom).isEmpty();
    }

    @Test
    void expiryTimesArePrintedToTheSecond() throws Exception {
        Instant expires = NOW.plus(Duration.ofHours(12)).truncatedTo(ChronoUnit.SECONDS);
        signatureExpiry.put(key("_25._tcp.mx1.example.test.", Type.TLSA), expires.plusNanos(123_456_789));

        assertThat(result(check(), "dnssec.rrsig-expiry").message())
                .contains("(" + expires + ")")
                .doesNotContain(".123");
    }

    @Test
    void aPlanThatDropsTheRecordOfTheLiveKeyIsRefused() throws Exception {
        // The config's certificate was replaced by one with a new key, but the MX still presents
        // the old one, whose record is published: the plan must not remove it yet.
        files.put("mx1.pem", chain("mx1.example.test", OTHER_CA));
        desired = new DesiredStateBuilder(source, NOW).build(config);

        CheckReport report = check();

        ZonePlan plan = report.plans().get(0);
        assertThat(plan.refusals()).extracting(r -> r.id()).containsExactly("plan.drops-live-tlsa");
        assertThat(ids(report))
                .contains("plan.drops-live-tlsa", "tlsa.disk-unmatched")
                .doesNotContain("plan.pending");
    }

    @Test
    void anUnreachableMxIsCriticalWhileTheRestIsStillChecked() throws Exception {
        liveChain = null;

        CheckReport report = check();

        assertThat(result(report, "smtp.unreachable").message()).contains("connection refused");
        assertThat(ids(report)).contains("mta-sts.ok", "tlsa.disk-matched");
    }

    @Test
    void whatCheckObservesIsKeptAndExplainsALaterReportInReportsSummary(@TempDir Path dir) throws Exception {
        Path database = dir.resolve("reports.sqlite");
        StoredReports stored = new StoredReports(
                () -> JdbcReportStore.open(StoreLocation.sqlite(database)), ReportThresholds.defaults());
        Observers observers = new Observers(lookup(), authorities(), probe(), fetch(), Optional.of(stored));
        String tlsaKey = key("_25._tcp.mx1.example.test.", Type.TLSA);
        List<String> before =
                dns.get(tlsaKey).stream().map(Record::rdataToString).toList();

        new CheckRunner(observers, CheckSettings.defaults(), CLOCK).run(desired);
        // two days later the TLSA set served has only the record of the key in use
        Instant changed = NOW.plus(Duration.ofDays(2));
        put(dns.get(tlsaKey).subList(0, 1));
        new CheckRunner(observers, CheckSettings.defaults(), Clock.fixed(changed, ZoneOffset.UTC)).run(desired);

        // a sender kept the old set and failed with it for the two days after
        Instant end = NOW.plus(Duration.ofDays(4));
        try (ReportStore store = JdbcReportStore.open(StoreLocation.sqlite(database))) {
            store.store(tlsaReport("Google LLC", before, end), "google", end);
            assertThat(store.history().versions(List.of("mx1.example.test", "example.test")))
                    .extracting(v -> v.kind().keyword() + " " + v.firstSeen() + " " + v.replacedAt())
                    .containsExactly(
                            "tlsa " + NOW + " Optional[" + changed + "]",
                            "tlsa " + changed + " Optional.empty",
                            "sts-id " + NOW + " Optional.empty",
                            "sts-policy " + NOW + " Optional.empty");
        }
        String stale = "the TLSA records that Google LLC used are our TLSA set of mx1.example.test of "
                + LocalDate.ofInstant(NOW, ZoneOffset.UTC) + ", replaced on "
                + LocalDate.ofInstant(changed, ZoneOffset.UTC) + ": the sender's DNS view is stale";

        Path config =
                Files.writeString(dir.resolve("mxpolicy.yaml"), CONFIG + "reports: { database: " + database + " }\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = org.mxpolicy.cli.Main.run(
                new String[] {"reports", "summary", "-c", config.toString()},
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                Clock.fixed(end.plus(Duration.ofDays(1)), ZoneOffset.UTC));

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("  explanation [tlsrpt.stale-policy]: " + stale);

        // and the check of that day says so in its finding for the MX host
        CheckReport report = new CheckRunner(
                        observers, CheckSettings.defaults(), Clock.fixed(end.plus(Duration.ofDays(1)), ZoneOffset.UTC))
                .run(desired);
        assertThat(report.results())
                .filteredOn(r -> r.id().equals("tlsrpt.failures") && r.subject().equals("mx1.example.test"))
                .singleElement()
                .satisfies(r -> assertThat(r.message()).contains(stale).contains("[tlsrpt.stale-policy]"));
    }

    private static ParsedReport tlsaReport(String organization, List<String> policyString, Instant end) {
        FailureDetail failure = new FailureDetail(
                "tlsa-invalid",
                Optional.of("192.0.2.1"),
                Optional.of("mx1.example.test"),
                Optional.empty(),
                Optional.empty(),
                50,
                Optional.empty(),
                Optional.empty());
        PolicyReport policy = new PolicyReport(
                PolicyReport.TLSA, policyString, "example.test", List.of("mx1.example.test"), 0, 50, List.of(failure));
        return new ParsedReport(
                new TlsReport(
                        organization, end.minus(Duration.ofDays(2)), end, Optional.empty(), "r1", List.of(policy)),
                List.of());
    }

    // ------------------------------------------------------------------ the fake world

    private CheckReport check() throws InvalidInputException {
        Observers observers = new Observers(lookup(), authorities(), probe(), fetch());
        return new CheckRunner(observers, CheckSettings.defaults(), CLOCK).run(desired);
    }

    private DnsLookup lookup() {
        return (name, type) -> {
            if (resolverDown) {
                return new DnsAnswer(
                        name,
                        type,
                        Rcode.SERVFAIL,
                        DnsAnswer.Security.FAILED,
                        List.of(),
                        List.of(),
                        Optional.of("127.0.0.1:53: port unreachable"));
            }
            List<Record> records = dns.getOrDefault(key(name.toString(), type), List.of());
            boolean nameExists = dns.keySet().stream().anyMatch(k -> k.startsWith(name.toString() + "/"));
            return new DnsAnswer(
                    name,
                    type,
                    nameExists || !records.isEmpty() ? Rcode.NOERROR : Rcode.NXDOMAIN,
                    DnsAnswer.Security.SECURE,
                    records,
                    signatures(name, type, records),
                    Optional.empty());
        };
    }

    private List<RRSIGRecord> signatures(Name name, int type, List<Record> records) {
        Instant expires = signatureExpiry.get(key(name.toString(), type));
        if (expires == null || records.isEmpty()) {
            return List.of();
        }
        return List.of(new RRSIGRecord(
                name,
                DClass.IN,
                3600,
                type,
                DNSSEC.Algorithm.ECDSAP256SHA256,
                3600,
                expires,
                NOW.minus(Duration.ofHours(1)),
                12345,
                Name.fromConstantString("example.test."),
                new byte[64]));
    }

    private AuthoritativeQuery authorities() {
        NameServer ns = new NameServer("ns1.example.test", new InetSocketAddress("192.0.2.53", 53));
        DnsLookup lookup = lookup();
        return new AuthoritativeQuery() {
            @Override
            public List<NameServer> servers(Name zone, List<NameServer> configured) {
                return List.of(ns);
            }

            @Override
            public List<ServerAnswer> askAll(List<NameServer> servers, Name name, int type) {
                DnsAnswer a = lookup.lookup(name, type);
                return List.of(new ServerAnswer(
                        ns, a.rcode(), true, a.records(), a.signatures(), Optional.empty(), Optional.empty()));
            }

            @Override
            public List<ServerAnswer> soaSerials(List<NameServer> servers, Name zone) {
                return List.of(new ServerAnswer(
                        ns, Rcode.NOERROR, true, List.of(), List.of(), Optional.of(1L), Optional.empty()));
            }
        };
    }

    private SmtpProbe probe() {
        return (host, address) -> {
            if (liveChain == null) {
                return new SmtpObservation(
                        host,
                        address,
                        Optional.empty(),
                        false,
                        Optional.empty(),
                        Optional.empty(),
                        false,
                        List.of(),
                        Optional.of("connection refused"));
            }
            if (!starttls) {
                return new SmtpObservation(
                        host,
                        address,
                        Optional.of("220 mx1.example.test ESMTP"),
                        false,
                        Optional.empty(),
                        Optional.empty(),
                        false,
                        List.of(),
                        Optional.of("STARTTLS not offered"));
            }
            return new SmtpObservation(
                    host,
                    address,
                    Optional.of("220 mx1.example.test ESMTP"),
                    true,
                    Optional.of("TLSv1.3"),
                    Optional.of("TLS_AES_256_GCM_SHA384"),
                    true,
                    liveChain,
                    Optional.empty());
        };
    }

    private PolicyFetch fetch() {
        return (domain, addresses) -> {
            fetchedFrom.add(List.copyOf(addresses));
            return new PolicyObservation(
                    java.net.URI.create("https://mta-sts." + domain + "/.well-known/mta-sts.txt"),
                    Optional.of(200),
                    Optional.of("text/plain"),
                    servedPolicy,
                    Optional.empty());
        };
    }

    private void put(List<Record> rrset) {
        dns.put(key(rrset.get(0).getName().toString(), rrset.get(0).getType()), List.copyOf(rrset));
    }

    private static String key(String name, int type) {
        return name.toLowerCase(java.util.Locale.ROOT) + "/" + Type.string(type);
    }

    private static CertificateChain chain(String host) {
        return chain(host, CA);
    }

    private static CertificateChain chain(String host, InMemoryPki.Issuer ca) {
        KeyPair key = InMemoryPki.ec("secp256r1");
        X509Certificate leaf = InMemoryPki.issued(key, host, ca, false, host);
        return new CertificateChain(host + ".pem", List.of(leaf, ca.certificate()));
    }

    private static List<String> ids(CheckReport report) {
        List<String> ids = new ArrayList<>();
        report.results().forEach(r -> ids.add(r.id()));
        return ids;
    }

    private static CheckResult result(CheckReport report, String id) {
        return report.results().stream()
                .filter(r -> r.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " in " + report.results()));
    }

    private static CheckStatus statusOf(CheckReport report, String id) {
        return result(report, id).status();
    }
}
