package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxpolicy.dnssec.DnssecAlgorithm;
import org.mxpolicy.dnssec.KeyFixtures;
import org.mxpolicy.dnssec.KeyState;
import org.mxpolicy.dnssec.KeyTiming;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.files.KeyDirectory;
import org.mxpolicy.testing.Cli;
import org.xbill.DNS.Name;

/** {@code mxpolicy keygen} and {@code mxpolicy ds} as users run them. */
class KeyCommandsTest {

    /** Another user's uid ({@code nobody}); the tests run as root, which may give files away. */
    private static final int NOBODY = 65534;

    private static final Name ZONE = Name.fromConstantString("example.com.");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"keygen", "ds"})
    void helpHasExamples(String command) {
        Cli.Run run = Cli.run(command, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("Usage: mxpolicy " + command).contains("Examples:");
    }

    @Test
    void keygenMakesAnEcdsaCombinedSigningKeyByDefaultAndPrintsItsBaseName() throws Exception {
        Cli.Run run = Cli.run("keygen", "--zone", "Example.com", "-K", dir.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).matches("Kexample\\.com\\.\\+013\\+\\d{5}\n");
        String base = run.stdout().strip();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(base + ".private"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(base + ".key"))))
                .isEqualTo("rw-r--r--");
        ZoneKey key = new KeyDirectory(dir).load(ZONE).get(0);
        assertThat(key.flags()).isEqualTo(257);
        assertThat(key.algorithm()).isEqualTo(DnssecAlgorithm.ECDSAP256SHA256);
        assertThat(run.stderr()).contains("combined signing key");
    }

    @Test
    void keygenMakesSplitKeysOfEachAlgorithm() throws Exception {
        for (String algorithm : List.of("ED25519", "8", "ecdsap256sha256")) {
            Cli.Run ksk = Cli.run("keygen", "--zone", "example.com.", "-K", dir.toString(), "-a", algorithm, "--ksk");
            Cli.Run zsk = Cli.run(
                    "keygen", "--zone", "example.com.", "-K", dir.toString(), "--algorithm", algorithm, "--zsk");
            assertThat(ksk.exitCode()).as(ksk.stderr()).isZero();
            assertThat(zsk.exitCode()).as(zsk.stderr()).isZero();
        }

        List<ZoneKey> keys = new KeyDirectory(dir).load(ZONE);

        assertThat(keys).hasSize(6);
        assertThat(keys)
                .extracting(ZoneKey::flags)
                .containsOnly(256, 257)
                .filteredOn(f -> f == 256)
                .hasSize(3);
        for (ZoneKey key : keys) {
            KeyFixtures.assertSigns(key);
        }
    }

    @Test
    void keygenRefusesBadOptionsWithOneLine() throws Exception {
        Cli.Run both = Cli.run("keygen", "--zone", "example.com", "-K", dir.toString(), "--ksk", "--zsk");
        Cli.Run weak =
                Cli.run("keygen", "--zone", "example.com", "-K", dir.toString(), "-a", "RSASHA256", "--bits", "1024");
        Cli.Run bitsForEc = Cli.run("keygen", "--zone", "example.com", "-K", dir.toString(), "--bits", "3072");
        Cli.Run dsa = Cli.run("keygen", "--zone", "example.com", "-K", dir.toString(), "-a", "NSEC3DSA");
        Cli.Run zone = Cli.run("keygen", "--zone", "exa mple..com", "-K", dir.toString());
        Cli.Run noDir = Cli.run(
                "keygen", "--zone", "example.com", "-K", dir.resolve("missing").toString());

        for (Cli.Run run : List.of(both, weak, bitsForEc, dsa, zone, noDir)) {
            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
            assertThat(run.stdout()).isEmpty();
            assertThat(run.errorLines()).hasSize(1);
        }
        assertThat(weak.stderr()).contains("--bits must be 2048..4096, not 1024");
        assertThat(bitsForEc.stderr()).contains("--bits applies to RSASHA256 only");
        assertThat(dsa.stderr()).contains("RSASHA256 (8), ECDSAP256SHA256 (13), ED25519 (15)");
        assertThat(noDir.stderr()).contains("no such directory");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void keygenRefusesAKeyDirectoryOthersMayWriteToOrAnotherUserOwns() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Cli.Run open = Cli.run("keygen", "--zone", "example.com", "-K", dir.toString());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(dir, "unix:uid", NOBODY);
        Cli.Run foreign = Cli.run("keygen", "--zone", "example.com", "-K", dir.toString());

        for (Cli.Run run : List.of(open, foreign)) {
            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
            assertThat(run.stdout()).isEmpty();
            assertThat(run.errorLines()).hasSize(1);
            assertThat(run.stderr()).contains(dir.toString());
        }
        assertThat(open.stderr()).contains("writable by group or others; run: chmod 700");
        assertThat(foreign.stderr()).contains("owned by uid " + NOBODY).contains("run: chown");
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void dsAndSignRefuseKeyFilesAnotherUserOwns() throws Exception {
        String base = Cli.run("keygen", "--zone", "example.com", "-K", dir.toString())
                .stdout()
                .strip();
        Files.setAttribute(dir.resolve(base + ".key"), "unix:uid", NOBODY);
        Cli.Run ds = Cli.run("ds", "--zone", "example.com", "-K", dir.toString());
        Files.setAttribute(dir.resolve(base + ".key"), "unix:uid", 0);
        Files.setAttribute(dir.resolve(base + ".private"), "unix:uid", NOBODY);
        Path zone = dir.resolve("example.com.zone");
        Files.writeString(
                zone, "$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.1\n");
        Cli.Run sign = Cli.run(
                "sign",
                "--zone",
                "example.com",
                "-K",
                dir.toString(),
                "-o",
                dir.resolve("out").toString(),
                zone.toString());

        assertThat(ds.exitCode()).as(ds.stderr()).isEqualTo(2);
        assertThat(ds.stderr()).contains(base + ".key").contains("owned by uid " + NOBODY);
        assertThat(sign.exitCode()).as(sign.stderr()).isEqualTo(2);
        assertThat(sign.stderr()).contains(base + ".private").contains("owned by uid " + NOBODY);
    }

    @Test
    void dsPrintsDsCdsAndCdnskeyForKeySigningKeysOnly() throws Exception {
        String csk = Cli.run("keygen", "--zone", "example.com", "-K", dir.toString())
                .stdout()
                .strip();
        Cli.run("keygen", "--zone", "example.com", "-K", dir.toString(), "--zsk");
        String tag = Integer.toString(Integer.parseInt(csk.substring(csk.length() - 5)));

        Cli.Run run = Cli.run("ds", "--zone", "EXAMPLE.com", "-K", dir.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        List<String> records = run.stdout().lines().toList();
        assertThat(records).hasSize(3);
        assertThat(records.get(0)).matches("example\\.com\\. 3600 IN DS " + tag + " 13 2 [0-9a-f]{64}");
        assertThat(records.get(1)).isEqualTo(records.get(0).replace(" IN DS ", " IN CDS "));
        assertThat(records.get(2)).startsWith("example.com. 3600 IN CDNSKEY 257 3 13 ");
        assertThat(run.stderr())
                .isEqualTo("mxpolicy ds: 1 DS for the parent zone of example.com. (give them to"
                        + " your registrar), then CDS and CDNSKEY for the zone itself (RFC 7344, RFC 8078)\n");
    }

    @Test
    void dsOfBindAndLdnsKeysEqualsDnssecDsfromkey() throws Exception {
        for (String tool : List.of("bind", "ldns")) {
            Path keys = Files.createDirectory(dir.resolve(tool));
            KeyFixtures.copyTo(tool, keys);
            String zone = tool.equals("bind") ? "example.com" : "example.org";

            Cli.Run run = Cli.run("ds", "--zone", zone, "-K", keys.toString(), "--ttl", "86400");

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            List<String> ds =
                    run.stdout().lines().filter(l -> l.contains(" IN DS ")).toList();
            assertThat(ds).hasSize(2).allSatisfy(l -> assertThat(l).startsWith(zone + ". 86400 IN DS "));
            for (String line : ds) {
                String expected = line.replace(" 86400 IN ", " IN ").toLowerCase(Locale.ROOT);
                assertThat(KeyFixtures.recordedDs(tool).stream().map(s -> s.toLowerCase(Locale.ROOT)))
                        .contains(expected);
            }
        }
    }

    @Test
    void dsWithoutKeySigningKeySaysHowToMakeOne() {
        Cli.run("keygen", "--zone", "example.com", "-K", dir.toString(), "--zsk");

        Cli.Run onlyZsk = Cli.run("ds", "--zone", "example.com", "-K", dir.toString());
        Cli.Run none = Cli.run("ds", "--zone", "example.net", "-K", dir.toString());

        assertThat(onlyZsk.exitCode()).isEqualTo(2);
        assertThat(onlyZsk.firstErrorLine())
                .contains("only zone-signing keys")
                .contains("mxpolicy keygen --zone example.com. -K '" + dir + "'")
                .contains("[ds.no-ksk]");
        assertThat(none.firstErrorLine()).contains("holds no key for example.net.");
    }

    // ---- timing

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private static Cli.Run at(Instant now, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                args, new PrintWriter(out, true), new PrintWriter(err, true), Clock.fixed(now, ZoneOffset.UTC));
        return new Cli.Run(code, out.toString(), err.toString());
    }

    @Test
    void keygenWritesTheTimingItIsGivenAsBindDoes() throws Exception {
        Cli.Run run = at(
                NOW,
                "keygen",
                "--zone",
                "example.com",
                "-K",
                dir.toString(),
                "--zsk",
                "--publish",
                "now",
                "--activate",
                "+1d",
                "--inactive",
                "20270101000000",
                "--delete",
                "+40d");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("published, not active, active from 2026-12-08T12:00:00Z");
        String base = run.stdout().strip();
        assertThat(Files.readString(dir.resolve(base + ".private")))
                .endsWith("Created: 20261207120000\nPublish: 20261207120000\nActivate: 20261208120000\n"
                        + "Inactive: 20270101000000\nDelete: 20270116120000\n");
        ZoneKey key = new KeyDirectory(dir).load(ZONE).get(0);
        assertThat(key.timing().stateAt(NOW)).isEqualTo(KeyState.PUBLISHED);
        assertThat(key.timing().get(KeyTiming.Event.ACTIVATE)).contains(Instant.parse("2026-12-08T12:00:00Z"));
    }

    @Test
    void keygenRefusesTimesItCannotReadOrThatAreOutOfOrder() {
        Cli.Run unreadable = at(NOW, "keygen", "--zone", "example.com", "-K", dir.toString(), "--activate", "soon");
        Cli.Run backwards = at(
                NOW, "keygen", "--zone", "example.com", "-K", dir.toString(), "--activate", "+2d", "--inactive", "+1d");

        assertThat(unreadable.exitCode()).isEqualTo(2);
        assertThat(unreadable.firstErrorLine())
                .contains("--activate 'soon' is not a time")
                .contains("[keygen.timing]");
        assertThat(backwards.exitCode()).isEqualTo(2);
        assertThat(backwards.firstErrorLine())
                .contains("--inactive (2026-12-08T12:00:00Z) must be after --activate (2026-12-09T12:00:00Z)");
        assertThat(dir.toFile().list()).isEmpty();
    }

    @Test
    void dsLeavesOutDeletedAndRevokedKeysButKeepsAPrePublishedOne() throws Exception {
        String old = at(NOW, "keygen", "--zone", "example.com", "-K", dir.toString(), "--ksk", "--delete", "+1d")
                .stdout()
                .strip();
        String next = at(
                        NOW,
                        "keygen",
                        "--zone",
                        "example.com",
                        "-K",
                        dir.toString(),
                        "--ksk",
                        "--publish",
                        "+2d",
                        "--activate",
                        "+3d")
                .stdout()
                .strip();
        String tagOld = Integer.toString(Integer.parseInt(old.substring(old.length() - 5)));
        String tagNext = Integer.toString(Integer.parseInt(next.substring(next.length() - 5)));

        Cli.Run before = at(NOW, "ds", "--zone", "example.com", "-K", dir.toString());
        Cli.Run after = at(NOW.plus(Duration.ofDays(3)), "ds", "--zone", "example.com", "-K", dir.toString());

        assertThat(before.exitCode()).as(before.stderr()).isZero();
        assertThat(before.stdout().lines().filter(l -> l.contains(" IN DS ")))
                .as("a double-DS rollover gives the parent the successor's DS before its DNSKEY appears")
                .hasSize(2);
        assertThat(after.exitCode()).as(after.stderr()).isZero();
        assertThat(after.stdout().lines().filter(l -> l.contains(" IN DS ") || l.contains(" IN CDS ")))
                .hasSize(2)
                .allSatisfy(l -> assertThat(l).contains(" " + tagNext + " 13 2 "))
                .noneSatisfy(l -> assertThat(l).contains(" " + tagOld + " 13 2 "));
        assertThat(after.stderr()).contains("left out " + old + ": deleted since 2026-12-08T12:00:00Z");
    }

    @Test
    void dsWhenEveryKeySigningKeyIsDeletedSaysSo() throws Exception {
        at(NOW, "keygen", "--zone", "example.com", "-K", dir.toString(), "--ksk", "--delete", "+1d");

        Cli.Run run = at(NOW.plus(Duration.ofDays(2)), "ds", "--zone", "example.com", "-K", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.firstErrorLine())
                .contains("holds no key-signing key for example.com. that is not deleted or revoked")
                .contains("[ds.no-current-ksk]");
    }

    @Test
    void signRefusesAZoneWhoseOnlyZskIsNotYetActiveAndSaysWhenItWillBe() throws Exception {
        assertThat(at(NOW, "keygen", "--zone", "example.com", "-K", dir.toString(), "--ksk")
                        .exitCode())
                .isZero();
        String zsk = at(NOW, "keygen", "--zone", "example.com", "-K", dir.toString(), "--zsk", "--activate", "+2d")
                .stdout()
                .strip();
        Path zone = Files.writeString(
                dir.resolve("example.com.zone"),
                "$TTL 3600\nexample.com. IN SOA ns1.example.com. h.example.com. 1 7200 3600 1209600 300\n"
                        + "example.com. IN NS ns1.example.com.\nns1.example.com. IN A 192.0.2.1\n");

        Cli.Run early =
                at(NOW.plusSeconds(3600), "sign", "--zone", "example.com", "-K", dir.toString(), zone.toString());

        assertThat(early.exitCode()).as(early.stderr()).isEqualTo(2);
        assertThat(early.errorLines()).hasSize(1);
        assertThat(early.firstErrorLine())
                .contains("zone example.com.: no active zone-signing key (ZSK) of algorithm 13")
                .contains(zsk + " (ZSK) published, not active, active from 2026-12-09T12:00:00Z")
                .contains(zsk + " becomes active at 2026-12-09T12:00:00Z")
                .contains("[dnssec.no-active-key]");
        assertThat(Files.exists(dir.resolve("example.com.zone.signed"))).isFalse();
        Cli.Run later = at(
                NOW.plus(Duration.ofDays(3)), "sign", "--zone", "example.com", "-K", dir.toString(), zone.toString());
        assertThat(later.exitCode()).as(later.stderr()).isZero();
    }
}
