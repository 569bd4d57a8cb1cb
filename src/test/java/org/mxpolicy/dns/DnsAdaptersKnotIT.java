package org.mxpolicy.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.dns.DnsAnswer.Security;
import org.mxpolicy.dns.UpdateException.Reason;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.KnotServer;
import org.mxpolicy.zone.RrsetChange;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * The DNS adapters against a real Knot DNS that signs its zone itself and takes TSIG-signed
 * updates: lookups validate from the DS that Knot's {@code keymgr} prints, updates land (and are
 * then served signed), stale prerequisites and wrong keys are refused with the right reason, and
 * direct queries report each server on its own.
 */
class DnsAdaptersKnotIT {

    private static final Name ZONE = Name.fromConstantString("lab.example.");
    private static final Path ZONE_FILE = Path.of("src/test/resources/dns/lab.example.zone");
    private static final Name KEY_NAME = Name.fromConstantString("mxpolicy-update.");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String TLSA_A = "3 1 1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private static final String TLSA_B = "3 1 1 bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    @TempDir
    static Path work;

    private static KnotServer knot;
    private static String secret;
    private static TrustAnchors anchors;

    @BeforeAll
    static void startKnot() throws IOException {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        secret = Base64.getEncoder().encodeToString(key);
        knot = KnotServer.signing(work, ZONE, ZONE_FILE, KEY_NAME, secret);
        anchors = new TrustAnchors(List.copyOf(knot.ds(ZONE)));
    }

    @AfterAll
    static void stopKnot() {
        if (knot != null) {
            knot.close();
        }
    }

    private static ValidatingDnsLookup lookup() {
        return new ValidatingDnsLookup(knot.resolver(), anchors, TIMEOUT, Duration.ZERO, Clock.systemUTC());
    }

    private static Rfc2136Update updater(String withSecret) {
        TSIG tsig = new TSIG(TSIG.HMAC_SHA256, KEY_NAME, Base64.getDecoder().decode(withSecret));
        return new Rfc2136Update(
                knot.address(), tsig, TIMEOUT, new Rfc2136Update.RetryPolicy(2, Duration.ofMillis(10), d -> {}));
    }

    private static Record tlsa(String owner, String rdata) throws IOException {
        return Record.fromString(Name.fromString(owner, ZONE), Type.TLSA, DClass.IN, 300, rdata, ZONE);
    }

    @Test
    void existingRrsetIsSecureWithItsSignatures() throws IOException {
        DnsAnswer answer = lookup().lookup(Name.fromString("_25._tcp.mx1", ZONE), Type.TLSA);

        assertThat(answer.security()).as(answer.toString()).isEqualTo(Security.SECURE);
        assertThat(answer.rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answer.records())
                .extracting(Record::rdataToString)
                .containsExactly("3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6");
        assertThat(answer.signatures())
                .isNotEmpty()
                .allSatisfy(sig -> assertThat(sig.getTypeCovered()).isEqualTo(Type.TLSA))
                .allSatisfy(sig -> assertThat(sig.getAlgorithm()).isEqualTo(13));
        assertThat(answer.problem()).isEmpty();
    }

    @Test
    void cnameIsFollowedToTheSecureTarget() throws IOException {
        DnsAnswer answer = lookup().lookup(Name.fromString("www", ZONE), Type.A);

        assertThat(answer.security()).as(answer.toString()).isEqualTo(Security.SECURE);
        assertThat(answer.records())
                .extracting(r -> r.getName().toString(), Record::rdataToString)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("mx1.lab.example.", "192.0.2.25"));
    }

    @Test
    void nameErrorAndNoDataAreProvenSecure() throws IOException {
        ValidatingDnsLookup lookup = lookup();

        DnsAnswer nxdomain = lookup.lookup(Name.fromString("nothing-here", ZONE), Type.A);
        DnsAnswer nodata = lookup.lookup(Name.fromString("mx1", ZONE), Type.TXT);

        assertThat(nxdomain.rcode()).as(nxdomain.toString()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nxdomain.security()).as(nxdomain.toString()).isEqualTo(Security.SECURE);
        assertThat(nxdomain.records()).isEmpty();
        assertThat(nodata.rcode()).as(nodata.toString()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.security()).as(nodata.toString()).isEqualTo(Security.SECURE);
        assertThat(nodata.records()).isEmpty();
        assertThat(nodata.hasRecords()).isFalse();
    }

    @Test
    void wrongAnchorForTheSignedZoneIsBogus() throws Exception {
        TrustAnchors wrong = TrustAnchors.of(
                List.of(
                        "lab.example. IN DS 12345 13 2 0000000000000000000000000000000000000000000000000000000000000000"),
                "test");
        ValidatingDnsLookup lookup =
                new ValidatingDnsLookup(knot.resolver(), wrong, TIMEOUT, Duration.ZERO, Clock.systemUTC());

        DnsAnswer answer = lookup.lookup(Name.fromString("_25._tcp.mx1", ZONE), Type.TLSA);

        assertThat(answer.security()).as(answer.toString()).isEqualTo(Security.BOGUS);
        assertThat(answer.records()).isEmpty();
        assertThat(answer.problem()).isPresent();
    }

    @Test
    void unsignedServingOfAnAnchoredZoneIsBogus() throws Exception {
        try (KnotServer unsigned = KnotServer.serve(work, ZONE, ZONE_FILE)) {
            ValidatingDnsLookup lookup =
                    new ValidatingDnsLookup(unsigned.resolver(), anchors, TIMEOUT, Duration.ZERO, Clock.systemUTC());

            DnsAnswer answer = lookup.lookup(Name.fromString("_25._tcp.mx1", ZONE), Type.TLSA);

            assertThat(answer.security()).as(answer.toString()).isEqualTo(Security.BOGUS);
            assertThat(answer.rcode()).isEqualTo(Rcode.SERVFAIL);
            assertThat(answer.problem()).get().asString().isNotBlank();
        }
    }

    @Test
    void nothingListeningIsFailedNotAnException() throws Exception {
        InetSocketAddress silent = closedTcpPortAddress();
        ValidatingDnsLookup lookup = ValidatingDnsLookup.via(
                List.of(silent), anchors, Duration.ofSeconds(1), Duration.ZERO, Clock.systemUTC());

        DnsAnswer answer = lookup.lookup(Name.fromString("mx1", ZONE), Type.A);

        assertThat(answer.security()).as(answer.toString()).isEqualTo(Security.FAILED);
        assertThat(answer.problem()).isPresent();
    }

    @Test
    void createChangeAndDeleteATlsaRrset() throws Exception {
        Name owner = Name.fromString("_25._tcp.mx-cycle", ZONE);
        Record a = tlsa("_25._tcp.mx-cycle", TLSA_A);
        Record b = tlsa("_25._tcp.mx-cycle", TLSA_B);
        Rfc2136Update update = updater(secret);
        ValidatingDnsLookup lookup = lookup();

        assertThat(update.apply(ZONE, List.of(new RrsetChange(owner, Type.TLSA, List.of(), List.of(a)))))
                .isEqualTo(1);
        DnsAnswer created = lookup.lookup(owner, Type.TLSA);
        assertThat(created.security()).as(created.toString()).isEqualTo(Security.SECURE);
        assertThat(created.records()).containsExactly(a);
        assertThat(created.signatures()).isNotEmpty();

        update.apply(ZONE, List.of(new RrsetChange(owner, Type.TLSA, List.of(a), List.of(b))));
        DnsAnswer changed = lookup.lookup(owner, Type.TLSA);
        assertThat(changed.security()).as(changed.toString()).isEqualTo(Security.SECURE);
        assertThat(changed.records()).containsExactly(b);

        update.apply(ZONE, List.of(new RrsetChange(owner, Type.TLSA, List.of(b), List.of())));
        DnsAnswer deleted = lookup.lookup(owner, Type.TLSA);
        assertThat(deleted.security()).as(deleted.toString()).isEqualTo(Security.SECURE);
        assertThat(deleted.rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(deleted.records()).isEmpty();
    }

    @Test
    void changeOfAnRrsetSomeoneElseChangedIsRefusedAndLeavesTheZoneAlone() throws Exception {
        Name owner = Name.fromString("_25._tcp.mx-race", ZONE);
        Record observed = tlsa("_25._tcp.mx-race", TLSA_A);
        Record wanted = tlsa("_25._tcp.mx-race", TLSA_B);
        Rfc2136Update update = updater(secret);
        update.apply(ZONE, List.of(new RrsetChange(owner, Type.TLSA, List.of(), List.of(observed))));

        // Between our observation and our update, an operator replaces the RRset by hand.
        String othersValue = "3 1 1 cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
        String script = "server 127.0.0.1 " + knot.port() + "\nzone " + ZONE + "\n"
                + "update delete " + owner + " TLSA\n"
                + "update add " + owner + " 300 TLSA " + othersValue + "\nsend\n";
        ExternalTool.require("nsupdate")
                .run(script.getBytes(StandardCharsets.US_ASCII), "-y", "hmac-sha256:" + KEY_NAME + ":" + secret)
                .assertSuccess();

        assertThatThrownBy(() -> update.apply(
                        ZONE, List.of(new RrsetChange(owner, Type.TLSA, List.of(observed), List.of(wanted)))))
                .isInstanceOfSatisfying(UpdateException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONCURRENT_CHANGE);
                    assertThat(e.getMessage()).contains("lab.example.", owner + " TLSA", "NXRRSET");
                });
        // The same for a create racing someone else's create.
        assertThatThrownBy(() ->
                        update.apply(ZONE, List.of(new RrsetChange(owner, Type.TLSA, List.of(), List.of(wanted)))))
                .isInstanceOfSatisfying(
                        UpdateException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONCURRENT_CHANGE));

        DnsAnswer served = lookup().lookup(owner, Type.TLSA);
        assertThat(served.records()).containsExactly(tlsa("_25._tcp.mx-race", othersValue));
    }

    @Test
    void wrongSecretIsNotAuthorizedAndChangesNothing() throws Exception {
        Name owner = Name.fromString("_25._tcp.mx-wrong-key", ZONE);
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        Rfc2136Update update = updater(Base64.getEncoder().encodeToString(other));

        assertThatThrownBy(() -> update.apply(
                        ZONE,
                        List.of(new RrsetChange(
                                owner, Type.TLSA, List.of(), List.of(tlsa("_25._tcp.mx-wrong-key", TLSA_A))))))
                .isInstanceOfSatisfying(UpdateException.class, e -> {
                    assertThat(e.reason()).as(e.getMessage()).isEqualTo(Reason.NOT_AUTHORIZED);
                    assertThat(e.getMessage()).contains(owner + " TLSA", "127.0.0.1");
                });
        DnsAnswer served = lookup().lookup(owner, Type.TLSA);
        assertThat(served.rcode()).as(served.toString()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void directQueriesAnswerPerServer() throws Exception {
        try (KnotServer unsigned = KnotServer.serve(work, ZONE, ZONE_FILE)) {
            NameServer signing = new NameServer("signing", knot.address());
            NameServer plain = new NameServer("plain", new InetSocketAddress("127.0.0.1", unsigned.port()));
            NameServer wrongZone = new NameServer("signing-other-zone", knot.address());
            AuthoritativeServers servers = new AuthoritativeServers(lookup(), Duration.ofSeconds(2));

            List<ServerAnswer> tlsa =
                    servers.askAll(List.of(signing, plain), Name.fromString("_25._tcp.mx1", ZONE), Type.TLSA);
            List<ServerAnswer> serials = servers.soaSerials(List.of(signing, plain), ZONE);
            List<ServerAnswer> nodata = servers.askAll(List.of(signing), Name.fromString("mx1", ZONE), Type.TXT);
            List<ServerAnswer> refused = servers.askAll(List.of(wrongZone), Name.fromString("example.org."), Type.A);

            assertThat(tlsa).extracting(ServerAnswer::server).containsExactly(signing, plain);
            assertThat(tlsa).allSatisfy(a -> {
                assertThat(a.problem()).isEmpty();
                assertThat(a.authoritative()).isTrue();
                assertThat(a.records()).hasSize(1);
            });
            assertThat(tlsa.get(0).signatures()).isNotEmpty();
            assertThat(tlsa.get(1).signatures()).isEmpty();
            assertThat(serials.get(1).soaSerial()).contains(2024010101L);
            assertThat(serials.get(0).soaSerial())
                    .hasValueSatisfying(s -> assertThat(s).isGreaterThanOrEqualTo(2024010101L));
            assertThat(nodata.get(0).records()).isEmpty();
            assertThat(nodata.get(0).soaSerial()).isEqualTo(serials.get(0).soaSerial());
            assertThat(refused.get(0).problem()).get().asString().contains("REFUSED");
        }
    }

    @Test
    void unreachableServerIsAProblemOfItsOwn() throws Exception {
        NameServer silent = new NameServer("silent", closedTcpPortAddress());
        NameServer signing = new NameServer("signing", knot.address());
        AuthoritativeServers servers = new AuthoritativeServers(lookup(), Duration.ofSeconds(1));

        List<ServerAnswer> answers = servers.soaSerials(List.of(silent, signing), ZONE);

        assertThat(answers.get(0).answered()).isFalse();
        assertThat(answers.get(0).problem()).isPresent();
        assertThat(answers.get(1).answered()).isTrue();
        assertThat(answers.get(1).soaSerial()).isPresent();
    }

    @Test
    void serversComeFromTheValidatedNsRrset() {
        AuthoritativeServers servers = new AuthoritativeServers(lookup(), Duration.ofSeconds(2), knot.port());

        List<NameServer> found = servers.servers(ZONE, List.of());

        assertThat(found).extracting(NameServer::name).containsExactly("ns1.lab.example.", "ns2.lab.example.");
        assertThat(found).allSatisfy(s -> assertThat(s.address()).isEqualTo(knot.address()));
        NameServer configured = new NameServer("configured", knot.address());
        assertThat(servers.servers(ZONE, List.of(configured))).containsExactly(configured);
    }

    /** An address where nothing answers: a UDP query gets no reply, a TCP connection is refused. */
    private static InetSocketAddress closedTcpPortAddress() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
        }
    }
}
