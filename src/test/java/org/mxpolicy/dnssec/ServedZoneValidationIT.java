package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.KnotServer;
import org.mxpolicy.testing.Launcher;
import org.mxpolicy.testing.ValidatingStub;
import org.mxpolicy.testing.ValidatingStub.Answer;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A zone signed by {@code mxpolicy sign}, served as it is by a real Knot DNS, validates through a
 * validating resolver (dnsjava's {@code ValidatingResolver}) whose only trust anchor is the DS
 * that {@code mxpolicy ds} prints: the TLSA, MTA-STS and MX answers, a name error and a no-data
 * answer (NSEC and NSEC3, RFC 4035 section 5 and RFC 5155 section 8) all come back authenticated.
 *
 * <p>Negative controls make sure the harness can fail: a wrong trust anchor, a flipped byte in the
 * signature over the DNSKEY RRset and a flipped byte in the signature over one TLSA RRset must not
 * come back authenticated. The same checks run on zones signed by {@code ldns-signzone} with a
 * {@code dnssec-keygen} key, which must validate the same way.
 */
class ServedZoneValidationIT {

    private static final String ZONE = "example.com";
    private static final Name ORIGIN = Name.fromConstantString(ZONE + ".");
    private static final Path CONFIG = Path.of("examples/provider.yaml");
    private static final Path BASE_ZONE = Path.of("examples/zones/example.com.zone");
    private static final String TLSA_OWNER = "_25._tcp.mx1.example.com.";

    /** Who signs the zone. */
    enum Signer {
        MXPOLICY,
        LDNS_SIGNZONE
    }

    /**
     * How the zone is signed: by whom, with which algorithm, with one combined signing key or a
     * KSK/ZSK pair, with NSEC or NSEC3.
     */
    record Setup(Signer signer, String algorithm, boolean splitKeys, boolean nsec3) {
        @Override
        public String toString() {
            return signer.name().toLowerCase(Locale.ROOT).replace('_', '-') + ", " + algorithm
                    + (splitKeys ? " KSK+ZSK" : " CSK") + (nsec3 ? ", NSEC3" : ", NSEC");
        }
    }

    /** A signed zone file and the DS records of its key-signing key. */
    record SignedZone(Path file, List<DSRecord> anchors) {}

    /** The question and the kind of answer a validating resolver must authenticate. */
    enum Expect {
        ANSWER,
        NXDOMAIN,
        NODATA
    }

    record Question(String name, int type, Expect expect) {}

    private static final List<Question> QUESTIONS = List.of(
            new Question(TLSA_OWNER, Type.TLSA, Expect.ANSWER),
            new Question("_mta-sts.example.com.", Type.TXT, Expect.ANSWER),
            new Question("example.com.", Type.MX, Expect.ANSWER),
            new Question("nosuchname.example.com.", Type.A, Expect.NXDOMAIN),
            new Question("mx1.example.com.", Type.TXT, Expect.NODATA),
            // an empty non-terminal: NSEC3 needs a record of its own for it (RFC 5155 section 7.1)
            new Question("_tcp.mx1.example.com.", Type.TXT, Expect.NODATA));

    @TempDir
    static Path shared;

    private static final Map<Setup, SignedZone> SIGNED = new HashMap<>();

    @TempDir
    Path dir;

    static Stream<Setup> setups() {
        return Stream.of(
                new Setup(Signer.MXPOLICY, "ECDSAP256SHA256", false, false),
                new Setup(Signer.MXPOLICY, "ECDSAP256SHA256", false, true),
                new Setup(Signer.MXPOLICY, "ECDSAP256SHA256", true, true),
                new Setup(Signer.MXPOLICY, "ED25519", true, false),
                new Setup(Signer.LDNS_SIGNZONE, "ECDSAP256SHA256", false, false),
                new Setup(Signer.LDNS_SIGNZONE, "ECDSAP256SHA256", false, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void answersFromTheServedZoneValidate(Setup setup) throws Exception {
        SignedZone zone = signed(setup);
        try (KnotServer knot = KnotServer.serve(dir, ORIGIN, zone.file())) {
            ValidatingStub stub = new ValidatingStub(knot.resolver(), zone.anchors());
            SoftAssertions softly = new SoftAssertions();
            for (Question q : QUESTIONS) {
                Answer answer = stub.ask(q.name(), q.type());
                softly.assertThat(answer.authenticated())
                        .as("AD flag of %s", answer.describe())
                        .isTrue();
                softly.assertThat(answer.reasons())
                        .as("validation failures of %s", answer.describe())
                        .isEmpty();
                switch (q.expect()) {
                    case ANSWER -> {
                        softly.assertThat(answer.rcode()).as(answer.describe()).isEqualTo(Rcode.NOERROR);
                        softly.assertThat(rdata(answer.records(q.type())))
                                .as("records of %s", answer.describe())
                                .isNotEmpty()
                                .isEqualTo(rdata(unsignedRecords(q.name(), q.type())));
                    }
                    case NXDOMAIN ->
                        softly.assertThat(answer.rcode()).as(answer.describe()).isEqualTo(Rcode.NXDOMAIN);
                    case NODATA -> {
                        softly.assertThat(answer.rcode()).as(answer.describe()).isEqualTo(Rcode.NOERROR);
                        softly.assertThat(answer.records(q.type()))
                                .as(answer.describe())
                                .isEmpty();
                    }
                }
            }
            softly.assertAll();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void aWrongTrustAnchorAuthenticatesNothing(Setup setup) throws Exception {
        SignedZone zone = signed(setup);
        List<DSRecord> wrong = zone.anchors().stream()
                .map(ServedZoneValidationIT::withFlippedDigest)
                .toList();
        try (KnotServer knot = KnotServer.serve(dir, ORIGIN, zone.file())) {
            assertNothingAuthenticated(new ValidatingStub(knot.resolver(), wrong), QUESTIONS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void aFlippedByteInTheKeySetSignatureAuthenticatesNothing(Setup setup) throws Exception {
        SignedZone zone = signed(setup);
        Set<Integer> anchorTags =
                zone.anchors().stream().map(DSRecord::getFootprint).collect(Collectors.toSet());
        Path broken = withFlippedSignatures(
                zone.file(), sig -> sig.getTypeCovered() == Type.DNSKEY && anchorTags.contains(sig.getFootprint()));
        try (KnotServer knot = KnotServer.serve(dir, ORIGIN, broken)) {
            assertNothingAuthenticated(new ValidatingStub(knot.resolver(), zone.anchors()), QUESTIONS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void aFlippedByteInTheTlsaSignatureFailsThatAnswerOnly(Setup setup) throws Exception {
        SignedZone zone = signed(setup);
        Name tlsaOwner = Name.fromString(TLSA_OWNER);
        Path broken = withFlippedSignatures(
                zone.file(),
                sig -> sig.getTypeCovered() == Type.TLSA && sig.getName().equals(tlsaOwner));
        try (KnotServer knot = KnotServer.serve(dir, ORIGIN, broken)) {
            ValidatingStub stub = new ValidatingStub(knot.resolver(), zone.anchors());
            assertNothingAuthenticated(stub, List.of(QUESTIONS.get(0)));
            Answer mx = stub.ask("example.com.", Type.MX);
            assertThat(mx.authenticated())
                    .as("the untouched MX RRset still validates: %s", mx.describe())
                    .isTrue();
        }
    }

    private static void assertNothingAuthenticated(ValidatingStub stub, List<Question> questions) throws IOException {
        SoftAssertions softly = new SoftAssertions();
        for (Question q : questions) {
            Answer answer = stub.ask(q.name(), q.type());
            softly.assertThat(answer.authenticated())
                    .as("AD flag of %s", answer.describe())
                    .isFalse();
            softly.assertThat(answer.rcode()).as(answer.describe()).isEqualTo(Rcode.SERVFAIL);
        }
        softly.assertAll();
    }

    // ---- signing ---------------------------------------------------------------------------

    private static synchronized SignedZone signed(Setup setup) throws IOException {
        SignedZone zone = SIGNED.get(setup);
        if (zone == null) {
            Path work = Files.createTempDirectory(shared, setup.signer().name().toLowerCase(Locale.ROOT));
            zone = switch (setup.signer()) {
                case MXPOLICY -> signWithMxpolicy(work, setup);
                case LDNS_SIGNZONE -> signWithLdns(work, setup);
            };
            SIGNED.put(setup, zone);
        }
        return zone;
    }

    /** Keys from {@code mxpolicy keygen}, the zone from {@code mxpolicy sign -c}, the DS from {@code mxpolicy ds}. */
    private static SignedZone signWithMxpolicy(Path work, Setup setup) throws IOException {
        Path keys = Files.createDirectories(work.resolve("keys"));
        List<String> keygen =
                List.of("keygen", "--zone", ZONE, "-K", keys.toString(), "--algorithm", setup.algorithm());
        if (setup.splitKeys()) {
            Launcher.run(Stream.concat(keygen.stream(), Stream.of("--ksk")).toArray(String[]::new))
                    .assertSuccess();
            Launcher.run(Stream.concat(keygen.stream(), Stream.of("--zsk")).toArray(String[]::new))
                    .assertSuccess();
        } else {
            Launcher.run(keygen.toArray(String[]::new)).assertSuccess();
        }
        Path signedFile = work.resolve(ZONE + ".signed");
        List<String> args = new ArrayList<>(List.of(
                "sign", "-c", CONFIG.toString(), "--zone", ZONE, "-K", keys.toString(), "-o", signedFile.toString()));
        if (setup.nsec3()) {
            args.add("--nsec3");
        }
        args.add(BASE_ZONE.toString());
        Launcher.run(args.toArray(String[]::new)).assertSuccess();
        String ds = Launcher.run("ds", "--zone", ZONE, "-K", keys.toString())
                .assertSuccess()
                .stdout();
        return new SignedZone(signedFile, dsRecords(ds));
    }

    /**
     * The reference: the same records (base zone and {@code mxpolicy generate} output) signed by
     * {@code ldns-signzone} with one {@code dnssec-keygen} key.
     */
    private static SignedZone signWithLdns(Path work, Setup setup) throws IOException {
        ExternalTool keygen = ExternalTool.require("dnssec-keygen");
        ExternalTool dsFromKey = ExternalTool.require("dnssec-dsfromkey");
        ExternalTool signzone = ExternalTool.require("ldns-signzone");
        Path keys = Files.createDirectories(work.resolve("keys"));
        String base = keygen.run("-q", "-K", keys.toString(), "-a", setup.algorithm(), "-f", "KSK", ZONE)
                .assertSuccess()
                .stdout()
                .trim();
        Path unsigned = work.resolve(ZONE + ".zone");
        Files.writeString(
                unsigned,
                Files.readString(BASE_ZONE, StandardCharsets.UTF_8) + "\n"
                        + Files.readString(generatedFragment(), StandardCharsets.UTF_8),
                StandardCharsets.UTF_8);
        Path signedFile = work.resolve(ZONE + ".signed");
        List<String> args = new ArrayList<>(List.of("-o", ZONE, "-f", signedFile.toString()));
        if (setup.nsec3()) {
            args.add("-n");
        }
        args.add(unsigned.toString());
        args.add(keys.resolve(base).toString());
        signzone.run(args.toArray(String[]::new)).assertSuccess();
        String ds = dsFromKey
                .run("-2", keys.resolve(base + ".key").toString())
                .assertSuccess()
                .stdout();
        return new SignedZone(signedFile, dsRecords(ds));
    }

    private static Path fragment;

    /** {@code mxpolicy generate}'s fragment for example.com, made once. */
    private static synchronized Path generatedFragment() throws IOException {
        if (fragment == null) {
            Path out = Files.createTempDirectory(shared, "fragments");
            Launcher.run("generate", "-c", CONFIG.toString(), "-o", out.toString())
                    .assertSuccess();
            fragment = out.resolve(ZONE + ".zone");
        }
        return fragment;
    }

    /** The records of one RRset in the base zone and {@code mxpolicy generate}'s fragment. */
    private static List<Record> unsignedRecords(String owner, int type) throws IOException {
        Name name = Name.fromString(owner);
        return Stream.concat(
                        readZone(Files.readAllBytes(BASE_ZONE)).stream(),
                        readZone(Files.readAllBytes(generatedFragment())).stream())
                .filter(r -> r.getName().equals(name) && r.getType() == type)
                .toList();
    }

    // ---- records ---------------------------------------------------------------------------

    /** The DS records (not CDS) in presentation text such as {@code mxpolicy ds} prints. */
    static List<DSRecord> dsRecords(String text) throws IOException {
        List<DSRecord> ds = readZone(text.getBytes(StandardCharsets.UTF_8)).stream()
                .filter(r -> r.getType() == Type.DS)
                .map(DSRecord.class::cast)
                .toList();
        assertThat(ds).as("DS records in:\n%s", text).isNotEmpty();
        return ds;
    }

    private static List<Record> readZone(byte[] text) throws IOException {
        List<Record> records = new ArrayList<>();
        try (InputStream in = new ByteArrayInputStream(text);
                Master master = new Master(in, ORIGIN, 3600)) {
            for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
                records.add(r);
            }
        }
        return records;
    }

    private static Set<String> rdata(List<Record> records) {
        return records.stream().map(Record::rdataToString).collect(Collectors.toSet());
    }

    private static DSRecord withFlippedDigest(DSRecord ds) {
        byte[] digest = ds.getDigest().clone();
        digest[digest.length - 1] ^= 0x01;
        return new DSRecord(
                ds.getName(),
                ds.getDClass(),
                ds.getTTL(),
                ds.getFootprint(),
                ds.getAlgorithm(),
                ds.getDigestID(),
                digest);
    }

    /** A copy of the signed zone with one byte flipped in every signature {@code which} selects. */
    private Path withFlippedSignatures(Path signedFile, Predicate<RRSIGRecord> which) throws IOException {
        List<String> lines = new ArrayList<>();
        int flipped = 0;
        for (Record r : readZone(Files.readAllBytes(signedFile))) {
            if (r instanceof RRSIGRecord sig && which.test(sig)) {
                byte[] signature = sig.getSignature().clone();
                signature[signature.length / 2] ^= (byte) 0xff;
                r = new RRSIGRecord(
                        sig.getName(),
                        sig.getDClass(),
                        sig.getTTL(),
                        sig.getTypeCovered(),
                        sig.getAlgorithm(),
                        sig.getOrigTTL(),
                        sig.getExpire(),
                        sig.getTimeSigned(),
                        sig.getFootprint(),
                        sig.getSigner(),
                        signature);
                flipped++;
            }
            lines.add(r.toString());
        }
        assertThat(flipped).as("signatures to corrupt in %s", signedFile).isPositive();
        Path broken = Files.createTempFile(dir, "broken", ".zone");
        Files.write(broken, lines, StandardCharsets.UTF_8);
        return broken;
    }
}
