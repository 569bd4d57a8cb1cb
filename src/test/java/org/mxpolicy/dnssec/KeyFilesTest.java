package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;

class KeyFilesTest {

    private static final Name ZONE = name("example.com.");

    static Stream<Arguments> algorithmsAndFlags() {
        return Stream.of(DnssecAlgorithm.values())
                .flatMap(a -> Stream.of(Arguments.of(a, ZoneKey.FLAGS_KSK), Arguments.of(a, ZoneKey.FLAGS_ZSK)));
    }

    @ParameterizedTest(name = "{0} flags {1}")
    @MethodSource("algorithmsAndFlags")
    void writtenKeysReadBackAndSign(DnssecAlgorithm algorithm, int flags) throws Exception {
        ZoneKey made = KeyFixtures.seededGenerator(1).generate(ZONE, algorithm, flags);

        ZoneKey read = readBack(made);

        assertThat(read.dnskey()).isEqualTo(made.dnskey());
        assertThat(read.dnskey().getTTL()).isEqualTo(3600);
        assertThat(read.keyTag()).isEqualTo(made.keyTag());
        assertThat(read.algorithm()).isEqualTo(algorithm);
        assertThat(read.privateKey()).isPresent();
        KeyFixtures.assertSigns(read);
    }

    @Test
    void keyFileHasBindsHeaderAndOneRecordLine() throws Exception {
        ZoneKey ksk = KeyFixtures.seededGenerator(2).generate(ZONE, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_KSK);
        ZoneKey zsk = KeyFixtures.seededGenerator(2).generate(ZONE, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_ZSK);

        List<String> lines =
                KeyFiles.publicKeyText(ksk, KeyFixtures.CREATED).lines().toList();

        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo("; This is a key-signing key, keyid " + ksk.keyTag() + ", for example.com.");
        assertThat(lines.get(1)).isEqualTo("; Created: 20260301123456 (Sun Mar  1 12:34:56 2026)");
        assertThat(lines.get(2)).startsWith("; Publish: 20260301123456 (");
        assertThat(lines.get(3)).startsWith("; Activate: 20260301123456 (");
        assertThat(lines.get(4)).matches("example\\.com\\. 3600 IN DNSKEY 257 3 13 [A-Za-z0-9+/]{86}==");
        assertThat(KeyFiles.publicKeyText(zsk, KeyFixtures.CREATED))
                .startsWith("; This is a zone-signing key, keyid " + zsk.keyTag() + ", for example.com.\n");
    }

    @Test
    void privateFileIsVersion13WithTiming() throws Exception {
        ZoneKey key = KeyFixtures.seededGenerator(3).generate(ZONE, DnssecAlgorithm.ED25519, ZoneKey.FLAGS_KSK);

        List<String> lines =
                KeyFiles.privateKeyText(key, KeyFixtures.CREATED).lines().toList();

        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).isEqualTo("Private-key-format: v1.3");
        assertThat(lines.get(1)).isEqualTo("Algorithm: 15 (ED25519)");
        assertThat(Base64.getDecoder().decode(lines.get(2).substring("PrivateKey: ".length())))
                .hasSize(32);
        assertThat(lines.subList(3, 6))
                .containsExactly("Created: 20260301123456", "Publish: 20260301123456", "Activate: 20260301123456");
    }

    @Test
    void rsaPrivateFileHasTheEightNumbersInBindsOrder() throws Exception {
        ZoneKey key = KeyFixtures.seededGenerator(4).generate(ZONE, DnssecAlgorithm.RSASHA256, ZoneKey.FLAGS_KSK);

        List<String> names = KeyFiles.privateKeyText(key, KeyFixtures.CREATED)
                .lines()
                .map(l -> l.substring(0, l.indexOf(':')))
                .toList();

        assertThat(names)
                .containsExactly(
                        "Private-key-format",
                        "Algorithm",
                        "Modulus",
                        "PublicExponent",
                        "PrivateExponent",
                        "Prime1",
                        "Prime2",
                        "Exponent1",
                        "Exponent2",
                        "Coefficient",
                        "Created",
                        "Publish",
                        "Activate");
    }

    @Test
    void p256ScalarIsPaddedTo32BytesAndShorterScalarsAreRead() throws Exception {
        // ldns writes the scalar without leading zero bytes; BIND pads it. Find a key whose scalar is short.
        KeyGenerator generator = KeyFixtures.seededGenerator(5);
        ZoneKey key;
        do {
            key = generator.generate(ZONE, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_KSK);
        } while (((ECPrivateKey) key.privateKey().orElseThrow()).getS().bitLength() > 248);
        String written = KeyFiles.privateKeyText(key, KeyFixtures.CREATED);
        String field = written.lines()
                .filter(l -> l.startsWith("PrivateKey: "))
                .findFirst()
                .orElseThrow();
        byte[] padded = Base64.getDecoder().decode(field.substring("PrivateKey: ".length()));
        assertThat(padded).hasSize(32);
        assertThat(padded[0]).isZero();

        byte[] unpadded = java.util.Arrays.copyOfRange(padded, 1, 32);
        String minimal = "Private-key-format: v1.2\nAlgorithm: 13 (ECDSAP256SHA256)\nPrivateKey: "
                + Base64.getEncoder().encodeToString(unpadded) + "\n";
        ZoneKey read = KeyFiles.readPrivateKey(publicOnly(key), new StringReader(minimal), "short.private");

        KeyFixtures.assertSigns(read);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.mxpolicy.dnssec.KeyFixtures#all")
    void readsKeysMadeByDnssecKeygenAndLdnsKeygen(String fixture) throws Exception {
        ZoneKey key = KeyFixtures.read(fixture);

        assertThat(fixture).endsWith(key.baseName());
        assertThat(key.privateKey()).isPresent();
        KeyFixtures.assertSigns(key);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.mxpolicy.dnssec.KeyFixtures#all")
    void rewrittenFixturesKeepTheirKeyMaterial(String fixture) throws Exception {
        ZoneKey key = KeyFixtures.read(fixture);

        ZoneKey again = readBack(key);

        assertThat(again.dnskey().getKey()).isEqualTo(key.dnskey().getKey());
        assertThat(again.privateKey().orElseThrow().getEncoded())
                .isEqualTo(key.privateKey().orElseThrow().getEncoded());
    }

    @Test
    void bindTimingAndUnknownFieldsAreIgnored() throws Exception {
        String fixture = "bind/"
                + KeyFixtures.baseNames("bind").stream()
                        .filter(b -> b.contains("+013+"))
                        .findFirst()
                        .orElseThrow();
        String extra = KeyFixtures.text(fixture + ".private") + "Inactive: 20300101000000\nDelete: 20300201000000\n"
                + "SyncPublish: 20260101000000\nSomethingNew: yes\n";

        ZoneKey key =
                KeyFiles.readPrivateKey(publicOnly(KeyFixtures.read(fixture)), new StringReader(extra), "k.private");

        KeyFixtures.assertSigns(key);
    }

    @Test
    void keyFileWithoutTtlGetsTheDefaultAndParenthesesAndCommentsAreRead() throws Exception {
        ZoneKey key = KeyFixtures.seededGenerator(6).generate(ZONE, DnssecAlgorithm.ED25519, ZoneKey.FLAGS_ZSK);
        String b64 = Base64.getEncoder().encodeToString(key.dnskey().getKey());
        String text = "; a comment\n\nExample.COM. IN DNSKEY ( 256 3 15 ; flags, protocol, algorithm\n  "
                + b64.substring(0, 20) + "\n  " + b64.substring(20) + " ) ;{id = " + key.keyTag() + " (zsk)}\n";

        ZoneKey read = KeyFiles.readPublicKey(new StringReader(text), "multi.key");

        assertThat(read.dnskey().getKey()).isEqualTo(key.dnskey().getKey());
        assertThat(read.dnskey().getTTL()).isEqualTo(KeyFiles.DEFAULT_TTL);
        assertThat(read.zone()).isEqualTo(ZONE);
        assertThat(read.baseName()).isEqualTo(key.baseName());
    }

    @Test
    void ttlAndClassMayComeInEitherOrder() throws Exception {
        ZoneKey key = KeyFixtures.seededGenerator(7).generate(ZONE, DnssecAlgorithm.ED25519, ZoneKey.FLAGS_KSK);
        String rdata = " DNSKEY 257 3 15 "
                + Base64.getEncoder().encodeToString(key.dnskey().getKey()) + "\n";

        assertThat(KeyFiles.readPublicKey(new StringReader("example.com. 600 IN" + rdata), "a.key")
                        .dnskey()
                        .getTTL())
                .isEqualTo(600);
        assertThat(KeyFiles.readPublicKey(new StringReader("example.com. IN 1h" + rdata), "b.key")
                        .dnskey()
                        .getTTL())
                .isEqualTo(3600);
        assertThat(KeyFiles.readPublicKey(new StringReader("example.com." + rdata), "c.key")
                        .dnskey()
                        .getTTL())
                .isEqualTo(3600);
    }

    // ---- errors

    @Test
    void privateKeyOfAnotherKeyIsAMismatch() throws Exception {
        ZoneKey one = KeyFixtures.seededGenerator(8).generate(ZONE, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_KSK);
        ZoneKey other =
                KeyFixtures.seededGenerator(9).generate(ZONE, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_KSK);
        String otherPrivate = KeyFiles.privateKeyText(other, KeyFixtures.CREATED);

        Finding f = error(() -> KeyFiles.readPrivateKey(publicOnly(one), new StringReader(otherPrivate), "k.private"));

        assertThat(f.id()).isEqualTo("key.mismatch");
        assertThat(f.position()).isEqualTo(SourcePosition.at("k.private", 3, 0));
        assertThat(f.message()).contains(one.baseName() + ".key").contains("different keys");
        assertNoSecret(f, otherPrivate);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mismatchedPairs")
    void mismatchIsFoundForEveryAlgorithm(DnssecAlgorithm algorithm) throws Exception {
        ZoneKey one = KeyFixtures.seededGenerator(10).generate(ZONE, algorithm, ZoneKey.FLAGS_KSK);
        ZoneKey other = KeyFixtures.seededGenerator(11).generate(ZONE, algorithm, ZoneKey.FLAGS_KSK);
        String otherPrivate = KeyFiles.privateKeyText(other, KeyFixtures.CREATED);

        Finding f = error(() -> KeyFiles.readPrivateKey(publicOnly(one), new StringReader(otherPrivate), "k.private"));

        assertThat(f.id()).isEqualTo("key.mismatch");
        assertNoSecret(f, otherPrivate);
    }

    static Stream<DnssecAlgorithm> mismatchedPairs() {
        return Stream.of(DnssecAlgorithm.values());
    }

    @Test
    void privateFileOfAnotherAlgorithmIsAMismatch() throws Exception {
        ZoneKey ec = KeyFixtures.seededGenerator(12).generate(ZONE, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_KSK);
        ZoneKey ed = KeyFixtures.seededGenerator(12).generate(ZONE, DnssecAlgorithm.ED25519, ZoneKey.FLAGS_KSK);
        String edPrivate = KeyFiles.privateKeyText(ed, KeyFixtures.CREATED);

        Finding f = error(() -> KeyFiles.readPrivateKey(publicOnly(ec), new StringReader(edPrivate), "k.private"));

        assertThat(f.id()).isEqualTo("key.mismatch");
        assertThat(f.position()).isEqualTo(SourcePosition.at("k.private", 2, 0));
        assertThat(f.message()).contains("algorithm 15 (ED25519)").contains("13 (ECDSAP256SHA256)");
    }

    @Test
    void unsupportedAlgorithmsAreRefusedNamingTheSupportedOnes() {
        String rsasha1 = "example.com. IN DNSKEY 257 3 5 AwEAAaZCFW4zbpGk/qnWuH7SlFLbEs+Nh1Q+d6uWqZBttfWmR1aG8QaQ\n";
        String ecdsa384 = "; header\nexample.com. IN DNSKEY 257 3 14 "
                + Base64.getEncoder().encodeToString(new byte[96]) + "\n";

        Finding sha1 = error(() -> KeyFiles.readPublicKey(new StringReader(rsasha1), "old.key"));
        Finding p384 = error(() -> KeyFiles.readPublicKey(new StringReader(ecdsa384), "p384.key"));

        assertThat(sha1.id()).isEqualTo("key.unsupported-algorithm");
        assertThat(sha1.format())
                .isEqualTo("old.key:1: error: algorithm 5 (RSASHA1) is not supported; mxpolicy uses"
                        + " 8 (RSASHA256), 13 (ECDSAP256SHA256), 15 (ED25519) [key.unsupported-algorithm]");
        assertThat(p384.position()).isEqualTo(SourcePosition.at("p384.key", 2, 0));
        assertThat(p384.message()).contains("14 (ECDSAP384SHA384)");
    }

    @Test
    void unsupportedAlgorithmInThePrivateFileIsRefused() throws Exception {
        ZoneKey key =
                KeyFixtures.seededGenerator(13).generate(ZONE, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_KSK);
        String text = "Private-key-format: v1.3\nAlgorithm: 14 (ECDSAP384SHA384)\nPrivateKey: AAAA\n";

        Finding f = error(() -> KeyFiles.readPrivateKey(publicOnly(key), new StringReader(text), "k.private"));

        assertThat(f.id()).isEqualTo("key.unsupported-algorithm");
        assertThat(f.position()).isEqualTo(SourcePosition.at("k.private", 2, 0));
    }

    @Test
    void badPrivateLinesAreReportedAtTheirLinesAllAtOnceWithoutQuotingThem() throws Exception {
        ZoneKey key =
                KeyFixtures.seededGenerator(14).generate(ZONE, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_KSK);
        String good = KeyFiles.privateKeyText(key, KeyFixtures.CREATED);
        List<String> lines = new java.util.ArrayList<>(good.lines().toList());
        lines.add(3, "secretsecretsecret");
        lines.add("Publish: again");
        String text = String.join("\n", lines) + "\n";

        InvalidInputException e =
                thrown(() -> KeyFiles.readPrivateKey(publicOnly(key), new StringReader(text), "k.private"));

        assertThat(e.findings())
                .extracting(Finding::position)
                .containsExactly(SourcePosition.at("k.private", 4, 0), SourcePosition.at("k.private", 8, 0));
        assertThat(e.findings()).allSatisfy(f -> assertThat(f.id()).isEqualTo("key.bad-format"));
        assertThat(e.findings().get(0).message()).doesNotContain("secret");
        assertThat(e.findings().get(1).message()).contains("repeats the field Publish");
    }

    @Test
    void badBase64IsReportedAtItsLine() throws Exception {
        ZoneKey key = KeyFixtures.seededGenerator(15).generate(ZONE, DnssecAlgorithm.RSASHA256, ZoneKey.FLAGS_KSK);
        String text = KeyFiles.privateKeyText(key, KeyFixtures.CREATED)
                .replaceFirst("(?m)^(Prime2: )(.*)$", "$1@@@$2")
                .replaceFirst("(?m)^Coefficient: .*\\n", "");

        InvalidInputException e =
                thrown(() -> KeyFiles.readPrivateKey(publicOnly(key), new StringReader(text), "k.private"));

        assertThat(e.findings())
                .extracting(Finding::format)
                .containsExactly(
                        "k.private:7: error: Prime2 is not valid base64 [key.bad-format]",
                        "k.private: error: has no 'Coefficient:' line [key.bad-format]");
    }

    @Test
    void damagedRsaKeyIsRefusedWithoutItsNumbers() throws Exception {
        ZoneKey key = KeyFixtures.seededGenerator(16).generate(ZONE, DnssecAlgorithm.RSASHA256, ZoneKey.FLAGS_KSK);
        String good = KeyFiles.privateKeyText(key, KeyFixtures.CREATED);
        String exponent1 = good.lines()
                .filter(l -> l.startsWith("Exponent1: "))
                .findFirst()
                .orElseThrow();
        String damaged =
                good.replace(exponent1, "Exponent1: " + Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));

        Finding f = error(() -> KeyFiles.readPrivateKey(publicOnly(key), new StringReader(damaged), "k.private"));

        assertThat(f.id()).isEqualTo("key.bad-format");
        assertThat(f.message()).contains("do not fit together");
        assertNoSecret(f, good);
    }

    @Test
    void notAPrivateKeyFile() throws Exception {
        ZoneKey key = KeyFixtures.seededGenerator(17).generate(ZONE, DnssecAlgorithm.ED25519, ZoneKey.FLAGS_KSK);

        Finding pem = error(() -> KeyFiles.readPrivateKey(
                publicOnly(key),
                new StringReader("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n"),
                "k.pem"));
        Finding v2 = error(() -> KeyFiles.readPrivateKey(
                publicOnly(key), new StringReader("Private-key-format: v2.0\nAlgorithm: 15\n"), "k.private"));
        Finding hsm = error(() -> KeyFiles.readPrivateKey(
                publicOnly(key),
                new StringReader("Private-key-format: v1.3\nAlgorithm: 15 (ED25519)\nLabel: pkcs11:object=k\n"),
                "k.private"));

        assertThat(pem.id()).isEqualTo("key.bad-format");
        assertThat(pem.position()).isEqualTo(SourcePosition.at("k.pem", 1, 0));
        assertThat(v2.message()).contains("v1.2 and v1.3");
        assertThat(v2.position()).isEqualTo(SourcePosition.at("k.private", 1, 0));
        assertThat(hsm.id()).isEqualTo("key.unsupported-storage");
        assertThat(hsm.position()).isEqualTo(SourcePosition.at("k.private", 3, 0));
    }

    @Test
    void badKeyFilesAreReportedAtTheirLines() {
        String valid = "example.com. IN DNSKEY 256 3 15 " + Base64.getEncoder().encodeToString(new byte[32]) + "\n";

        assertThat(error(() -> KeyFiles.readPublicKey(new StringReader("; only a comment\n"), "e.key"))
                        .format())
                .startsWith("e.key: error: holds no DNSKEY record");
        assertThat(error(() -> KeyFiles.readPublicKey(new StringReader(valid + "\n" + valid), "two.key"))
                        .position())
                .isEqualTo(SourcePosition.at("two.key", 3, 0));
        assertThat(error(() -> KeyFiles.readPublicKey(
                                new StringReader("\n\nexample.com. IN DNSKEY 256 3 15 !!!\n"), "b.key"))
                        .format())
                .isEqualTo("b.key:3: error: the public key is not valid base64 [key.bad-format]");
        assertThat(error(() -> KeyFiles.readPublicKey(new StringReader("example.com. IN DS 1 15 2 00\n"), "ds.key"))
                        .message())
                .isEqualTo("is a DS record, not DNSKEY");
        assertThat(error(() -> KeyFiles.readPublicKey(
                                new StringReader("example.com. IN DNSKEY 256 2 15 AAAA\n"), "p.key"))
                        .message())
                .contains("protocol must be 3");
        assertThat(error(() -> KeyFiles.readPublicKey(new StringReader("$INCLUDE /etc/shadow\n" + valid), "i.key"))
                        .position())
                .isEqualTo(SourcePosition.at("i.key", 1, 1));
        assertThat(error(() -> KeyFiles.readPublicKey(
                                new StringReader("example.com. IN DNSKEY ( 256 3 15\n AAAA\n"), "o.key"))
                        .message())
                .contains("never closed");
        assertThat(error(() -> KeyFiles.readPublicKey(new StringReader(valid.replace(" 256 ", " 385 ")), "r.key"))
                        .message())
                .contains("revoked");
        assertThat(error(() -> KeyFiles.readPublicKey(
                                new StringReader("example.com. IN DNSKEY 257 3 13 "
                                        + Base64.getEncoder().encodeToString(new byte[64]) + "\n"),
                                "c.key"))
                        .message())
                .isEqualTo("the public key is not a point on P-256");
        assertThat(error(() -> KeyFiles.readPublicKey(
                                new StringReader("example.com. IN DNSKEY 257 3 15 "
                                        + Base64.getEncoder().encodeToString(new byte[31]) + "\n"),
                                "s.key"))
                        .message())
                .contains("RFC 8080");
    }

    @Test
    void rsaKeysShorterThan2048BitsAreRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        DNSKEYRecord weak = new DNSKEYRecord(
                ZONE, DClass.IN, 3600, 257, 3, 8, g.generateKeyPair().getPublic());

        Finding f = error(() -> KeyFiles.readPublicKey(new StringReader(weak.toString() + "\n"), "weak.key"));

        assertThat(f.id()).isEqualTo("key.weak");
        assertThat(f.message()).contains("1024 bits").contains("2048");
    }

    @Test
    void toStringShowsNoPrivateMaterial() throws Exception {
        for (DnssecAlgorithm algorithm : DnssecAlgorithm.values()) {
            ZoneKey key = KeyFixtures.seededGenerator(18).generate(ZONE, algorithm, ZoneKey.FLAGS_KSK);
            String secret = KeyFiles.privateKeyText(key, KeyFixtures.CREATED);

            String shown = key.toString();

            assertThat(shown).isEqualTo(key.baseName() + " (KSK)");
            secretValues(secret).forEach(v -> assertThat(shown).doesNotContain(v));
        }
    }

    // ---- helpers

    private static ZoneKey readBack(ZoneKey key) throws InvalidInputException {
        return KeyFiles.read(
                new StringReader(KeyFiles.publicKeyText(key, KeyFixtures.CREATED)),
                "k.key",
                new StringReader(KeyFiles.privateKeyText(key, KeyFixtures.CREATED)),
                "k.private");
    }

    private static ZoneKey publicOnly(ZoneKey key) {
        return new ZoneKey(key.zone(), key.dnskey(), key.algorithm(), key.publicKey(), Optional.empty());
    }

    /** The base64 values of the key material lines of a .private text. */
    private static List<String> secretValues(String privateText) {
        return privateText
                .lines()
                .filter(l -> !l.startsWith("Private-key-format")
                        && !l.startsWith("Algorithm")
                        && !l.startsWith("Modulus")
                        && !l.startsWith("PublicExponent")
                        && !l.matches("(Created|Publish|Activate):.*"))
                .map(l -> l.substring(l.indexOf(':') + 2))
                .map(v -> v.substring(0, Math.min(12, v.length())))
                .toList();
    }

    private static void assertNoSecret(Finding f, String privateText) {
        for (String v : secretValues(privateText)) {
            assertThat(f.format()).doesNotContain(v);
        }
    }

    interface Call {
        Object run() throws Exception;
    }

    private static InvalidInputException thrown(Call call) {
        return (InvalidInputException) org.assertj.core.api.Assertions.catchThrowable(call::run);
    }

    private static Finding error(Call call) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call::run);
        assertThat(t).isInstanceOf(InvalidInputException.class);
        InvalidInputException e = (InvalidInputException) t;
        assertThat(e.findings()).hasSize(1);
        return e.findings().get(0);
    }

    private static Name name(String s) {
        try {
            return Name.fromString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
