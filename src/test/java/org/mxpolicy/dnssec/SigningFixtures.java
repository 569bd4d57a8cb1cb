package org.mxpolicy.dnssec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.zone.ZoneFileReader;
import org.mxpolicy.zone.ZoneText;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** Zones and keys for the signer and verifier tests. */
final class SigningFixtures {

    static final Name FEATURES = Name.fromConstantString("features.example.");
    /** The signing time of the tests. */
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private SigningFixtures() {}

    /** {@code src/test/resources/zones/features.example.zone}: wildcard, ENTs, delegations, odd labels. */
    static List<Record> featuresZone() {
        try {
            return parse(FEATURES, Files.readString(Path.of("src/test/resources/zones/features.example.zone")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Record> parse(Name origin, String text) {
        try {
            return ZoneFileReader.read(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.zone", origin);
        } catch (InvalidInputException e) {
            throw new AssertionError(e.findings().toString(), e);
        }
    }

    /** A key made with a seeded generator. */
    static ZoneKey key(Name zone, DnssecAlgorithm algorithm, int flags, long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return new KeyGenerator(random).generate(zone, algorithm, flags);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ZoneKey csk(DnssecAlgorithm algorithm) {
        return key(FEATURES, algorithm, ZoneKey.FLAGS_KSK, 1);
    }

    static List<ZoneKey> kskAndZsk(DnssecAlgorithm algorithm) {
        return List.of(key(FEATURES, algorithm, ZoneKey.FLAGS_KSK, 2), key(FEATURES, algorithm, ZoneKey.FLAGS_ZSK, 3));
    }

    static List<Record> ofType(List<Record> records, int type) {
        return records.stream().filter(r -> r.getType() == type).toList();
    }

    /** "owner TYPE" of every RRSIG, in zone order. */
    static List<String> signedRrsets(List<Record> records) {
        List<String> out = new ArrayList<>();
        for (Record r : ofType(records, Type.RRSIG)) {
            RRSIGRecord sig = (RRSIGRecord) r;
            out.add(sig.getName() + " " + Type.string(sig.getTypeCovered()));
        }
        return out;
    }

    static String text(List<Record> records) {
        return ZoneText.render(records);
    }
}
