package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.Launcher;

/**
 * Zones signed by {@code mxpolicy sign} pass the three independent zone verifiers, ldns
 * ({@code ldns-verify-zone}), BIND ({@code dnssec-verify}) and Knot ({@code kzonecheck -d on}),
 * for NSEC and NSEC3, algorithms 8, 13 and 15, one combined signing key or a KSK/ZSK pair, on a
 * zone with a wildcard, empty non-terminals, secure and insecure delegations with glue, upper-case
 * owners and escaped labels. The same zone with one signature byte flipped is rejected by all
 * three and by {@code mxpolicy verify}.
 */
class SignedZoneInteropIT {

    private static final String ZONE = "features.example";
    private static final Path FEATURES = Path.of("src/test/resources/zones/features.example.zone");

    enum Keys {
        CSK,
        KSK_AND_ZSK
    }

    @TempDir
    Path dir;

    static Stream<Arguments> combinations() {
        List<Arguments> out = new ArrayList<>();
        for (String denial : List.of("NSEC", "NSEC3")) {
            for (DnssecAlgorithm algorithm : DnssecAlgorithm.values()) {
                for (Keys keys : Keys.values()) {
                    out.add(Arguments.of(denial, algorithm, keys));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("combinations")
    void signedZonePassesLdnsBindAndKnotAndOneFlippedByteFailsThemAll(
            String denial, DnssecAlgorithm algorithm, Keys keys) throws Exception {
        requireVerifiers();
        Path keyDir = keyDirectory();
        if (keys == Keys.CSK) {
            keygen(keyDir, algorithm);
        } else {
            keygen(keyDir, algorithm, "--ksk");
            keygen(keyDir, algorithm, "--zsk");
        }
        Path signed = dir.resolve("features.example.signed");
        List<String> args =
                new ArrayList<>(List.of("sign", "--zone", ZONE, "-K", keyDir.toString(), "-o", signed.toString()));
        if (denial.equals("NSEC3")) {
            args.add("--nsec3");
        }
        args.add(FEATURES.toString());

        Launcher.run(args.toArray(String[]::new)).assertSuccess();

        assertVerifiersAccept(signed, keys == Keys.CSK);
        Path corrupted = corruptOneSignature(signed, "_25._tcp.mx1.features.example. ", "TLSA");
        assertVerifiersReject(corrupted, keys == Keys.CSK);
    }

    @Test
    void keysMadeByDnssecKeygenSignWithMxpolicy() throws Exception {
        requireVerifiers();
        ExternalTool keygen = ExternalTool.require("dnssec-keygen");
        Path keyDir = keyDirectory();
        keygen.run("-q", "-K", keyDir.toString(), "-a", "ECDSAP256SHA256", "-f", "KSK", ZONE)
                .assertSuccess();
        keygen.run("-q", "-K", keyDir.toString(), "-a", "ECDSAP256SHA256", ZONE).assertSuccess();
        Path signed = dir.resolve("features.example.signed");

        Launcher.run(
                        "sign",
                        "--zone",
                        ZONE,
                        "-K",
                        keyDir.toString(),
                        "--nsec3",
                        "-o",
                        signed.toString(),
                        FEATURES.toString())
                .assertSuccess();

        assertVerifiersAccept(signed, false);
    }

    @Test
    void theExampleZoneWithTheConfigsRecordsSignsAndVerifies() throws Exception {
        requireVerifiers();
        Path keyDir = keyDirectory();
        Launcher.run("keygen", "--zone", "example.com", "-K", keyDir.toString()).assertSuccess();
        Path signed = dir.resolve("example.com.signed");

        ExternalTool.Result run = Launcher.run(
                        "sign",
                        "-c",
                        "examples/provider.yaml",
                        "--zone",
                        "example.com",
                        "-K",
                        keyDir.toString(),
                        "examples/zones/example.com.zone",
                        "-o",
                        signed.toString())
                .assertSuccess();

        assertThat(run.stderr()).contains(signed + ": written");
        assertThat(Files.readString(signed))
                .contains(
                        "_25._tcp.mx1.example.com. 600 IN TLSA 3 1 1 ",
                        "_25._tcp.mx1.example.com. 600 IN RRSIG TLSA 13 5 600 ");
        ExternalTool.require("ldns-verify-zone").run(signed.toString()).assertSuccess();
        ExternalTool.require("dnssec-verify")
                .run("-z", "-o", "example.com", signed.toString())
                .assertSuccess();
        ExternalTool.require("kzonecheck")
                .run("-o", "example.com", "-d", "on", signed.toString())
                .assertSuccess();
    }

    @Test
    void anIncrementalReSignAfterAChangeStillVerifies() throws Exception {
        requireVerifiers();
        Path keyDir = keyDirectory();
        keygen(keyDir, DnssecAlgorithm.ED25519, "--ksk");
        keygen(keyDir, DnssecAlgorithm.ED25519, "--zsk");
        Path zone = dir.resolve("features.example.zone");
        Files.copy(FEATURES, zone);
        Path signed = dir.resolve("features.example.signed");
        Launcher.run("sign", "--zone", ZONE, "-K", keyDir.toString(), "-o", signed.toString(), zone.toString())
                .assertSuccess();
        Files.writeString(
                zone,
                Files.readString(zone).replace("192.0.2.25", "192.0.2.125")
                        + "new IN TXT \"a name added after the first signing\"\n");

        ExternalTool.Result run = Launcher.run(
                        "sign", "--zone", ZONE, "-K", keyDir.toString(), "-o", signed.toString(), zone.toString())
                .assertSuccess();

        assertThat(run.stderr())
                .containsPattern("written \\(serial 2026010103, NSEC, \\d+ signatures made, \\d+ kept\\)");
        assertThat(run.stderr()).doesNotContain(", 0 kept");
        assertVerifiersAccept(signed, false);
    }

    @Test
    void theRootSignsWithNsec3AndLdnsBindAndKnotAccept() throws Exception {
        requireVerifiers();
        Path keyDir = keyDirectory();
        Launcher.run("keygen", "--zone", ".", "-K", keyDir.toString()).assertSuccess();
        Path root = dir.resolve("root.zone");
        Files.writeString(root, """
                . 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 2026120701 1800 900 604800 86400
                . 518400 IN NS a.root-servers.net.
                a.root-servers.net. 518400 IN A 198.41.0.4
                """);
        Path signed = dir.resolve("root.signed");

        Launcher.run(
                        "sign",
                        "--zone",
                        ".",
                        "-K",
                        keyDir.toString(),
                        "--nsec3",
                        "-o",
                        signed.toString(),
                        root.toString())
                .assertSuccess();

        ExternalTool.require("ldns-verify-zone").run(signed.toString()).assertSuccess();
        ExternalTool.require("dnssec-verify")
                .run("-z", "-o", ".", signed.toString())
                .assertSuccess();
        ExternalTool.require("kzonecheck")
                .run("-o", ".", "-d", "on", signed.toString())
                .assertSuccess();
        Launcher.run("verify", "--zone", ".", signed.toString()).assertSuccess();
    }

    /**
     * The largest RRset sign accepts at this owner (its signed data 65,428 bytes) verifies with all
     * three; ten records more are refused, as Knot and ldns would hold their signature bogus.
     */
    @Test
    void theLargestRrsetSignAcceptsPassesLdnsBindAndKnot() throws Exception {
        requireVerifiers();
        Path keyDir = keyDirectory();
        keygen(keyDir, DnssecAlgorithm.ECDSAP256SHA256);
        StringBuilder zone = new StringBuilder("$TTL 600\n"
                + ZONE + ". 3600 IN SOA ns1." + ZONE + ". hostmaster." + ZONE + ". 1 3600 900 604800 300\n"
                + ZONE + ". 3600 IN NS ns1." + ZONE + ".\n"
                + "ns1." + ZONE + ". 3600 IN A 192.0.2.1\n");
        // "features.example." is 18 bytes: 18 + 10 + 4 = 32 bytes a record in the signed data.
        int fits = (65_535 - 18 - 18) / 32;
        for (int i = 0; i < fits + 10; i++) {
            zone.append(i == fits ? "; more than fits\n" : "")
                    .append(ZONE + ". 600 IN A 10.0." + (i >> 8) + "." + (i & 0xff) + "\n");
        }
        String text = zone.toString();
        Path largest = dir.resolve("largest.zone");
        Files.writeString(largest, text.substring(0, text.indexOf("; more than fits")));
        Path tooLarge = dir.resolve("too-large.zone");
        Files.writeString(tooLarge, text);
        Path signed = dir.resolve("largest.signed");

        Launcher.run("sign", "--zone", ZONE, "-K", keyDir.toString(), "-o", signed.toString(), largest.toString())
                .assertSuccess();
        ExternalTool.Result refused =
                Launcher.run("sign", "--zone", ZONE, "-K", keyDir.toString(), "-o", signed + ".2", tooLarge.toString());

        assertVerifiersAccept(signed, true);
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).contains("[dnssec.rrset-too-large]");
    }

    private static void requireVerifiers() {
        ExternalTool.require("ldns-verify-zone");
        ExternalTool.require("dnssec-verify");
        ExternalTool.require("kzonecheck");
    }

    private Path keyDirectory() throws Exception {
        Path keys = dir.resolve("keys");
        Files.createDirectory(keys, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return keys;
    }

    private static void keygen(Path keyDir, DnssecAlgorithm algorithm, String... role) {
        List<String> args = new ArrayList<>(
                List.of("keygen", "--zone", ZONE, "-K", keyDir.toString(), "--algorithm", algorithm.mnemonic()));
        args.addAll(List.of(role));
        Launcher.run(args.toArray(String[]::new)).assertSuccess();
    }

    private static List<ExternalTool.Result> verifiers(Path zone, boolean cskOnly) {
        List<String> bind = new ArrayList<>(List.of("-o", ZONE));
        if (cskOnly) {
            bind.add("-z"); // the KSK-flagged key signs everything
        }
        bind.add(zone.toString());
        return List.of(
                ExternalTool.require("ldns-verify-zone").run(zone.toString()),
                ExternalTool.require("dnssec-verify").run(bind.toArray(String[]::new)),
                ExternalTool.require("kzonecheck").run("-o", ZONE, "-d", "on", zone.toString()));
    }

    private static void assertVerifiersAccept(Path zone, boolean cskOnly) {
        verifiers(zone, cskOnly).forEach(ExternalTool.Result::assertSuccess);
        Launcher.run("verify", "--zone", ZONE, zone.toString()).assertSuccess();
    }

    private static void assertVerifiersReject(Path zone, boolean cskOnly) {
        for (ExternalTool.Result result : verifiers(zone, cskOnly)) {
            assertThat(result.exitCode())
                    .as("%s must reject a flipped signature byte", result.command())
                    .isNotZero();
        }
        ExternalTool.Result ours = Launcher.run("verify", "--zone", ZONE, zone.toString());
        assertThat(ours.exitCode()).isEqualTo(1);
        assertThat(ours.stderr()).contains("[dnssec.bad-signature]");
    }

    /** A copy of the zone with one bit flipped in the signature over {@code owner type}. */
    private Path corruptOneSignature(Path zone, String owner, String type) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(zone, StandardCharsets.UTF_8));
        boolean done = false;
        for (int i = 0; i < lines.size() && !done; i++) {
            String line = lines.get(i);
            if (line.startsWith(owner) && line.contains(" IN RRSIG " + type + " ")) {
                int space = line.lastIndexOf(' ');
                byte[] signature = Base64.getDecoder().decode(line.substring(space + 1));
                signature[signature.length / 2] ^= 0x01;
                lines.set(i, line.substring(0, space + 1) + Base64.getEncoder().encodeToString(signature));
                done = true;
            }
        }
        assertThat(done).as("an RRSIG over %s %s", owner, type).isTrue();
        Path corrupted = dir.resolve(zone.getFileName() + ".corrupted");
        Files.write(corrupted, lines, StandardCharsets.UTF_8);
        return corrupted;
    }
}
