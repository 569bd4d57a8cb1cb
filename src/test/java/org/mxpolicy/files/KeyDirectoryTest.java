package org.mxpolicy.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.dnssec.DnssecAlgorithm;
import org.mxpolicy.dnssec.KeyFiles;
import org.mxpolicy.dnssec.KeyFixtures;
import org.mxpolicy.dnssec.KeyTiming;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.xbill.DNS.Name;

class KeyDirectoryTest {

    private static final Name COM = Name.fromConstantString("example.com.");
    private static final Name ORG = Name.fromConstantString("example.org.");

    @TempDir
    Path dir;

    @Test
    void loadsTheKeysOfOneZoneWithTheirPrivateKeysInKeyOrder() throws Exception {
        KeyFixtures.copyTo("bind", dir);
        KeyFixtures.copyTo("ldns", dir);

        List<ZoneKey> com = new KeyDirectory(dir).load(COM);
        List<ZoneKey> org = new KeyDirectory(dir).load(ORG);

        assertThat(com)
                .extracting(ZoneKey::baseName)
                .containsExactlyElementsOf(KeyFixtures.baseNames("bind").stream()
                        .sorted((a, b) -> a.substring(13).compareTo(b.substring(13)))
                        .toList());
        assertThat(org).hasSize(3).allSatisfy(k -> assertThat(k.zone()).isEqualTo(ORG));
        for (ZoneKey key : com) {
            assertThat(key.privateKey()).isPresent();
            KeyFixtures.assertSigns(key);
        }
    }

    @Test
    void zoneNamesMatchWhateverTheirCase() throws Exception {
        KeyFixtures.copyTo("bind", dir);

        assertThat(new KeyDirectory(dir).load(Name.fromConstantString("EXAMPLE.Com.")))
                .hasSize(3);
        assertThat(new KeyDirectory(dir).load(Name.fromConstantString("other.example.")))
                .isEmpty();
        assertThat(new KeyDirectory(dir).load(Name.fromConstantString("com."))).isEmpty();
    }

    @Test
    void aKeyWithoutPrivateFileLoadsPublicOnly() throws Exception {
        KeyFixtures.copyTo("bind", dir);
        String base = KeyFixtures.baseNames("bind").get(0);
        Files.delete(dir.resolve(base + ".private"));

        List<ZoneKey> keys = new KeyDirectory(dir).load(COM);

        assertThat(keys)
                .filteredOn(k -> k.baseName().equals(base))
                .singleElement()
                .satisfies(k -> assertThat(k.privateKey()).isEmpty());
        assertThat(keys).filteredOn(k -> k.privateKey().isPresent()).hasSize(2);
    }

    @Test
    void privateFilesReadableByOthersAreRefusedWithTheFix() throws Exception {
        KeyFixtures.copyTo("bind", dir);
        List<String> bases = KeyFixtures.baseNames("bind");
        Path groupReadable = dir.resolve(bases.get(0) + ".private");
        Path worldReadable = dir.resolve(bases.get(1) + ".private");
        Files.setPosixFilePermissions(groupReadable, PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(worldReadable, PosixFilePermissions.fromString("rw-r--r--"));

        InvalidInputException e =
                catchThrowableOfType(InvalidInputException.class, () -> new KeyDirectory(dir).load(COM));

        assertThat(e.findings()).hasSize(2);
        Finding first = e.findings().get(0);
        assertThat(first.id()).isEqualTo("key.private-permissions");
        assertThat(first.message())
                .isEqualTo(bases.get(0) + ".private is readable by group or others; run: chmod 600 '" + groupReadable
                        + "'");
        assertThat(e.exitCode()).isEqualTo(2);
        // the public keys are still usable: ds reads no private file
        assertThat(new KeyDirectory(dir).loadPublic(COM)).hasSize(3);
    }

    @Test
    void groupWritablePrivateFilesAreRefusedToo() throws Exception {
        KeyFixtures.copyTo("bind", dir);
        Path p = dir.resolve(KeyFixtures.baseNames("bind").get(0) + ".private");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw--w----"));

        InvalidInputException e =
                catchThrowableOfType(InvalidInputException.class, () -> new KeyDirectory(dir).load(COM));

        assertThat(e.findings().get(0).message()).contains("writable by group or others; run: chmod 600");
    }

    @Test
    void shellQuotingSurvivesQuotesInPaths() {
        assertThat(KeyDirectory.shellQuote("/keys/it's")).isEqualTo("'/keys/it'\\''s'");
    }

    @Test
    void writesPrivate0600AndPublic0644AndNeverReplaces() throws Exception {
        ZoneKey key = KeyFixtures.seededGenerator(1).generate(COM, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_KSK);
        KeyDirectory keys = new KeyDirectory(dir);

        Path written = keys.write(key, KeyFixtures.CREATED);

        assertThat(written).isEqualTo(dir.resolve(key.baseName() + ".key"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written)))
                .isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(dir.resolve(key.baseName() + ".private"))))
                .isEqualTo("rw-------");
        assertThat(AtomicFiles.leftovers(dir)).isEmpty();
        assertThat(keys.load(COM))
                .singleElement()
                .satisfies(k -> assertThat(k.dnskey()).isEqualTo(key.dnskey()));

        InvalidInputException again =
                catchThrowableOfType(InvalidInputException.class, () -> keys.write(key, KeyFixtures.CREATED));
        assertThat(again.findings().get(0).id()).isEqualTo("key.exists");
    }

    @Test
    void aRetimeStoppedBetweenItsTwoWritesIsSettledFromThePrivateFile() throws Exception {
        ZoneKey key = KeyFixtures.seededGenerator(2).generate(COM, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_ZSK);
        KeyDirectory keys = new KeyDirectory(dir);
        keys.write(key, KeyFixtures.CREATED);
        ZoneKey loaded = keys.load(COM).get(0);
        ZoneKey retimed = loaded.withTiming(
                loaded.timing().with(KeyTiming.Event.INACTIVE, Optional.of(KeyFixtures.CREATED.plusSeconds(86_400))));
        // the crash: the .private file has the new timing, the .key file still the old one
        AtomicFiles.write(
                dir.resolve(key.baseName() + ".private"),
                KeyFiles.privateKeyText(retimed).getBytes(StandardCharsets.US_ASCII),
                AtomicFiles.PRIVATE);
        assertThat(keys.loadPublic(COM).get(0).timing()).isNotEqualTo(retimed.timing());

        assertThat(keys.settleTiming(COM)).containsExactly(key.baseName());

        assertThat(keys.loadPublic(COM).get(0).timing()).isEqualTo(retimed.timing());
        assertThat(keys.load(COM).get(0).timing()).isEqualTo(retimed.timing());
        assertThat(keys.settleTiming(COM)).isEmpty();
    }

    @Test
    void aKeyFileWhoseContentDoesNotFitItsNameIsReported() throws Exception {
        KeyFixtures.copyTo("bind", dir);
        String base = KeyFixtures.baseNames("bind").get(0);
        Files.move(dir.resolve(base + ".key"), dir.resolve("Kexample.com.+013+00001.key"));

        InvalidInputException e =
                catchThrowableOfType(InvalidInputException.class, () -> new KeyDirectory(dir).loadPublic(COM));

        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("key.file-name");
            assertThat(f.position().source()).endsWith("Kexample.com.+013+00001.key");
        });
    }

    @Test
    void everyBadKeyFileIsReportedInOneRun() throws Exception {
        Files.writeString(dir.resolve("Kexample.com.+013+00001.key"), "garbage\n");
        Files.writeString(dir.resolve("Kexample.com.+015+00002.key"), "example.com. IN DNSKEY 257 3 15 !!\n");

        InvalidInputException e =
                catchThrowableOfType(InvalidInputException.class, () -> new KeyDirectory(dir).load(COM));

        assertThat(e.findings()).hasSize(2);
    }

    @Test
    void aMissingDirectorySaysHowToMakeIt() {
        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class, () -> new KeyDirectory(dir.resolve("nope")).load(COM));

        assertThat(e.findings().get(0).message()).contains("no such directory").contains("mkdir -m 700");
    }
}
