package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxpolicy.testing.Cli;

/** {@code mxpolicy sign} and {@code mxpolicy verify} as users run them. */
class SignVerifyCommandTest {

    private static final Path FEATURES = Path.of("src/test/resources/zones/features.example.zone");

    @TempDir
    Path dir;

    private Path keys;
    private Path zone;

    @BeforeEach
    void keysAndZone() throws Exception {
        keys = Files.createDirectory(dir.resolve("keys"));
        assertThat(Cli.run("keygen", "--zone", "features.example", "-K", keys.toString())
                        .exitCode())
                .isZero();
        zone = dir.resolve("features.example.zone");
        Files.copy(FEATURES, zone);
    }

    private Cli.Run sign(String... extra) {
        List<String> args =
                new java.util.ArrayList<>(List.of("sign", "--zone", "features.example", "-K", keys.toString()));
        args.addAll(List.of(extra));
        args.add(zone.toString());
        return Cli.run(args.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sign", "verify"})
    void helpHasExamples(String command) {
        Cli.Run run = Cli.run(command, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("Usage: mxpolicy " + command).contains("Examples:");
    }

    @Test
    void signsNextToTheZoneFileAndTheResultVerifies() throws Exception {
        Cli.Run run = sign();
        Path signed = Path.of(zone + ".signed");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr())
                .contains(signed + ": written (serial 2026010102, NSEC, ")
                .contains(" signatures made, 0 kept)");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(signed)))
                .isEqualTo("rw-r--r--");
        Cli.Run verify = Cli.run("verify", "--zone", "features.example", signed.toString());
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        assertThat(verify.stderr()).contains("verified (NSEC, ");
    }

    @Test
    void aSecondRunWithNothingDueLeavesTheOutputAlone() throws Exception {
        Path out = dir.resolve("out.zone");
        sign("-o", out.toString(), "--nsec3");
        byte[] first = Files.readAllBytes(out);

        Cli.Run again = sign("-o", out.toString(), "--nsec3");

        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stderr()).contains("unchanged (serial 2026010102");
        assertThat(Files.readAllBytes(out)).isEqualTo(first);
    }

    @Test
    void verifyListsEachProblemOnItsOwnLineAndExitsOne() throws Exception {
        Path out = dir.resolve("out.zone");
        sign("-o", out.toString());
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("mx2.features.example. 3600 IN RRSIG AAAA ")) {
                lines.set(i, corruptSignature(lines.get(i)));
            }
        }
        Files.write(out, lines, StandardCharsets.UTF_8);

        Cli.Run run = Cli.run("verify", "--zone", "features.example", out.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errorLines()).hasSize(2);
        assertThat(run.errorLines().get(0))
                .startsWith(out + ": error: mx2.features.example. AAAA RRSIG by key tag ")
                .endsWith("[dnssec.bad-signature]");
        assertThat(run.errorLines().get(1))
                .isEqualTo("mxpolicy: " + out + ": verification failed: 1 error, 0 warnings");
    }

    /** Flips one bit in the middle of the signature, the last field of an RRSIG line. */
    static String corruptSignature(String line) {
        int space = line.lastIndexOf(' ');
        byte[] signature = Base64.getDecoder().decode(line.substring(space + 1));
        signature[signature.length / 2] ^= 0x01;
        return line.substring(0, space + 1) + Base64.getEncoder().encodeToString(signature);
    }

    /** As in zones BIND 9.11 signed: NSEC TTLs other than RFC 9077's; the signatures still verify. */
    @Test
    void warningsArePrintedButFailVerifyOnlyWhenStrict() throws Exception {
        Path out = dir.resolve("out.zone");
        sign("-o", out.toString());
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        lines.replaceAll(
                l -> l.matches("\\S+ \\d+ IN NSEC .*") ? l.replaceFirst(" \\d+ IN NSEC ", " 86400 IN NSEC ") : l);
        Files.write(out, lines, StandardCharsets.UTF_8);

        Cli.Run run = Cli.run("verify", "--zone", "features.example", out.toString());
        Cli.Run strict = Cli.run("verify", "--zone", "features.example", "--strict", out.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.errorLines())
                .anyMatch(l -> l.endsWith("[dnssec.chain-ttl]"))
                .last()
                .asString()
                .contains(": verified (NSEC, ");
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.errorLines()).last().asString().contains("verification failed: 0 errors, ");
    }

    @Test
    void anExpiryHorizonBeyondTheSignaturesMakesVerifyFail() throws Exception {
        sign();

        Cli.Run run = Cli.run("verify", "--zone", "features.example", "--expiry-horizon", "15d", zone + ".signed");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errorLines())
                .allMatch(l -> l.endsWith("[dnssec.expiring]") || l.contains("verification failed: 0 errors"));
    }

    @Test
    void mergesTheRecordsTheConfigOwns() throws Exception {
        Path out = dir.resolve("example.com.signed");
        Path exampleKeys = Files.createDirectory(dir.resolve("example-keys"));
        Cli.run("keygen", "--zone", "example.com", "-K", exampleKeys.toString(), "--algorithm", "ED25519");

        Cli.Run run = Cli.run(
                "sign",
                "--zone",
                "example.com",
                "-K",
                exampleKeys.toString(),
                "-c",
                "examples/provider.yaml",
                "-o",
                out.toString(),
                "examples/zones/example.com.zone");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String text = Files.readString(out);
        assertThat(text)
                .contains(
                        "_25._tcp.mx1.example.com. 600 IN TLSA 3 1 1 ",
                        "_25._tcp.mx1.example.com. 600 IN RRSIG TLSA 15 ",
                        "_mta-sts.example.com. 3600 IN TXT \"v=STSv1; id=",
                        "_submissions._tcp.example.com. 3600 IN SRV 0 0 465 smtp.example.com.");
        assertThat(Cli.run("verify", "--zone", "example.com", out.toString()).exitCode())
                .isZero();
    }

    @Test
    void aZoneTheConfigDoesNotNameIsBadInput() {
        Cli.Run run = Cli.run(
                "sign",
                "--zone",
                "features.example",
                "-K",
                keys.toString(),
                "-c",
                "examples/provider.yaml",
                zone.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine())
                .contains("zone features.example. is not under 'zones'")
                .endsWith("[sign.zone-not-configured]");
    }

    @Test
    void configRecordsBelowADelegationOfTheZoneFileAreRefused() throws Exception {
        Path base = dir.resolve("example.com.zone");
        Files.writeString(
                base,
                Files.readString(Path.of("examples/zones/example.com.zone")) + "mx2 IN NS ns.elsewhere.example.\n");
        Path exampleKeys = Files.createDirectory(dir.resolve("example-keys"));
        Cli.run("keygen", "--zone", "example.com", "-K", exampleKeys.toString());

        Cli.Run run = Cli.run(
                "sign",
                "--zone",
                "example.com",
                "-K",
                exampleKeys.toString(),
                "-c",
                "examples/provider.yaml",
                base.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines())
                .anySatisfy(l -> assertThat(l)
                        .startsWith(base + ": error: _25._tcp.mx2.example.com. (from ")
                        .contains("is below the delegation mx2.example.com.")
                        .endsWith("[sign.below-delegation]"));
    }

    @Test
    void aSyntaxErrorNamesFileAndLineAndNothingIsWritten() throws Exception {
        Files.writeString(zone, Files.readString(zone).replace("192.0.2.25", "192.0.2.256"));

        Cli.Run run = sign();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).startsWith(zone + ":12: error: ").endsWith("[zone.syntax]");
        assertThat(Path.of(zone + ".signed")).doesNotExist();
    }

    @Test
    void badInputIsExitTwo() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));

        assertThat(Cli.run(
                                "verify",
                                "--zone",
                                "features.example",
                                dir.resolve("missing").toString())
                        .exitCode())
                .isEqualTo(2);
        assertThat(Cli.run("sign", "--zone", "features.example", "-K", empty.toString(), zone.toString())
                        .firstErrorLine())
                .contains("no key files of zone features.example.");
        assertThat(sign("--validity", "5d").firstErrorLine()).contains("must be longer than refresh");
        assertThat(sign("--validity", "two weeks").exitCode()).isEqualTo(2);
        assertThat(sign("--serial", "keep").firstErrorLine()).contains("not one of increment, unixtime, date");
    }
}
