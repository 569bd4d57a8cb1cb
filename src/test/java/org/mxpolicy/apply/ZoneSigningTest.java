package org.mxpolicy.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.dnssec.DnssecAlgorithm;
import org.mxpolicy.dnssec.KeyGenerator;
import org.mxpolicy.dnssec.SigningPolicy;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.dnssec.ZoneVerifier;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.zone.ZoneFileReader;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The signing service on files held in memory: what {@code sign} and {@code publish} both run. */
class ZoneSigningTest {

    private static final Name ZONE = Name.fromConstantString("example.test.");
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final Path ZONE_FILE = Path.of("example.test.zone");
    private static final Path KEYS = Path.of("keys");
    private static final Path OUT = Path.of("example.test.zone.signed");
    private static final String TEXT = """
            $TTL 3600
            @ SOA ns1 hostmaster 1 7200 3600 1209600 3600
            @ NS ns1
            ns1 A 192.0.2.53
            child NS ns.child
            ns.child A 192.0.2.54
            """;

    /** The zone file, a key and what was written, in memory. */
    static final class MemoryFiles implements SigningFiles {
        final Map<Path, byte[]> written = new HashMap<>();
        final List<ZoneKey> keys;
        int writes;

        MemoryFiles(List<ZoneKey> keys) {
            this.keys = keys;
        }

        @Override
        public ZoneFileReader.Zone zone(Path file, Name origin) throws InvalidInputException {
            return ZoneFileReader.readZone(
                    new ByteArrayInputStream(TEXT.getBytes(StandardCharsets.UTF_8)), file.toString(), origin);
        }

        @Override
        public List<ZoneKey> keys(Path dir, Name origin) {
            return keys;
        }

        @Override
        public Optional<byte[]> previous(Path file) {
            return Optional.ofNullable(written.get(file));
        }

        @Override
        public boolean write(Path file, byte[] text) {
            byte[] before = written.put(file, text);
            writes++;
            return before == null || !java.util.Arrays.equals(before, text);
        }
    }

    private static ZoneKey csk() throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(7);
        return new KeyGenerator(random).generate(ZONE, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_KSK);
    }

    private static ZoneSigning.Request request(Optional<ZoneFragment> owned) {
        return new ZoneSigning.Request(ZONE, ZONE_FILE, KEYS, owned, "provider.yaml", OUT, SigningPolicy.defaults());
    }

    private static ZoneFragment owned(String owner) {
        return new ZoneFragment(ZONE, List.of(new TXTRecord(Name.fromConstantString(owner), 1, 3600, "v=STSv1; id=1")));
    }

    @Test
    void signsMergesTheOwnedRecordsAndWritesAZoneThatVerifies() throws Exception {
        MemoryFiles files = new MemoryFiles(List.of(csk()));
        ZoneSigning.Result result =
                new ZoneSigning(files).sign(request(Optional.of(owned("_mta-sts.example.test."))), T0);

        assertThat(result.written()).isTrue();
        assertThat(result.signed().signaturesMade()).isPositive();
        assertThat(result.describe()).startsWith("written (serial ");
        List<Record> signed =
                ZoneFileReader.read(new ByteArrayInputStream(files.written.get(OUT)), OUT.toString(), ZONE);
        assertThat(signed)
                .anyMatch(r -> r.getType() == Type.TXT && r.getName().toString().equals("_mta-sts.example.test."));
        ZoneVerifier.Result check = new ZoneVerifier().verify(ZONE, signed, T0, Duration.ZERO, OUT.toString());
        assertThat(check.findings()).noneMatch(Finding::isError);
    }

    @Test
    void aSecondRunWithNothingDueLeavesTheOutputAsItIs() throws Exception {
        MemoryFiles files = new MemoryFiles(List.of(csk()));
        ZoneSigning signing = new ZoneSigning(files);
        signing.sign(request(Optional.empty()), T0);
        byte[] first = files.written.get(OUT);

        ZoneSigning.Result again = signing.sign(request(Optional.empty()), T0.plus(Duration.ofHours(1)));

        assertThat(again.written()).isFalse();
        assertThat(again.signed().signaturesMade()).isZero();
        assertThat(again.describe()).startsWith("unchanged");
        assertThat(files.written.get(OUT)).isEqualTo(first);
    }

    @Test
    void refusesOwnedRecordsBelowADelegationAndWritesNothing() throws Exception {
        MemoryFiles files = new MemoryFiles(List.of(csk()));

        assertThatThrownBy(() ->
                        new ZoneSigning(files).sign(request(Optional.of(owned("_25._tcp.mx.child.example.test."))), T0))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).findings())
                        .singleElement()
                        .satisfies(f -> {
                            assertThat(f.id()).isEqualTo("sign.below-delegation");
                            assertThat(f.message()).contains("provider.yaml", "child.example.test.");
                        }));
        assertThat(files.writes).isZero();
    }

    @Test
    void underAKeyPolicyARecordWithATtlAboveMaxZoneTtlIsRefusedAndNothingWritten() throws Exception {
        MemoryFiles files = new MemoryFiles(List.of(csk()));
        // the zone's TTLs are 3600; the delegation's NS and glue are unsigned and do not count
        SigningPolicy oneHour = policyWithMaxZoneTtl(Duration.ofHours(1));
        new ZoneSigning(files).sign(requestWith(Optional.empty(), oneHour), T0);
        assertThat(files.writes).isEqualTo(1);

        ZoneFragment longTtl = new ZoneFragment(
                ZONE,
                List.of(new TXTRecord(Name.fromConstantString("_mta-sts.example.test."), 1, 7200, "v=STSv1; id=1")));
        assertThatThrownBy(() -> new ZoneSigning(files).sign(requestWith(Optional.of(longTtl), oneHour), T0))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).findings())
                        .singleElement()
                        .satisfies(f -> {
                            assertThat(f.id()).isEqualTo("sign.ttl-above-max");
                            assertThat(f.message()).contains("_mta-sts.example.test.", "7200", "max_zone_ttl");
                        }));
        assertThat(files.writes).isEqualTo(1);
    }

    private static SigningPolicy policyWithMaxZoneTtl(Duration max) {
        SigningPolicy d = SigningPolicy.defaults();
        return new SigningPolicy(
                d.inceptionOffset(),
                d.validity(),
                d.jitter(),
                d.refresh(),
                d.denial(),
                d.serialFormat(),
                d.dnskeyTtl(),
                Optional.of(max));
    }

    private static ZoneSigning.Request requestWith(Optional<ZoneFragment> owned, SigningPolicy policy) {
        return new ZoneSigning.Request(ZONE, ZONE_FILE, KEYS, owned, "provider.yaml", OUT, policy);
    }

    @Test
    void withoutKeysNamesTheCommandThatMakesOne() {
        MemoryFiles files = new MemoryFiles(List.of());

        assertThatThrownBy(() -> new ZoneSigning(files).sign(request(Optional.empty()), T0))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(
                                ((InvalidInputException) e).findings().get(0).message())
                        .contains("mxpolicy keygen --zone example.test."));
        assertThat(files.writes).isZero();
    }
}
