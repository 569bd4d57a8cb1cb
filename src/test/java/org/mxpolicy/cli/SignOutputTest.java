package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.Cli;

/** Where {@code sign}, {@code generate} and {@code policy} write ({@code -o}), and zones without {@code $TTL}. */
class SignOutputTest {

    private static final String CONFIG = "examples/provider.yaml";

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
        zone = Files.copy(
                Path.of("src/test/resources/zones/features.example.zone"), dir.resolve("features.example.zone"));
    }

    private Cli.Run sign(Path zoneFile, String... extra) {
        List<String> args = new ArrayList<>(List.of("sign", "--zone", "features.example", "-K", keys.toString()));
        args.addAll(List.of(extra));
        args.add(zoneFile.toString());
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void anOutputInAFileSystemThatTakesNoNewFilesIsRefusedWithTheReason() {
        assumeTrue(Files.isRegularFile(Path.of("/proc/version")), "Linux /proc");

        Cli.Run run = sign(zone, "-o", "/proc/version");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines())
                .containsExactly("/proc/version: error: cannot create a file in /proc to write it"
                        + " (the file system there takes no new files) [output.not-writable]");
    }

    @Test
    void anOutputBelowAFileIsRefusedNamingTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");

        Cli.Run run = sign(zone, "-o", file.resolve("out.zone").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines()).containsExactly(file + ": error: not a directory [output.not-writable]");
    }

    @Test
    void aMissingDirectoryIsRefusedAndNotMadeUnlessMkdirIsGiven() {
        Path missing = dir.resolve("typo/zones");
        Path out = missing.resolve("features.example.zone.signed");

        Cli.Run refused = sign(zone, "-o", out.toString());

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.errorLines())
                .containsExactly(
                        missing + ": error: no such directory; create it first, or add --mkdir [output.no-directory]");
        assertThat(dir.resolve("typo")).doesNotExist();

        Cli.Run made = sign(zone, "-o", out.toString(), "--mkdir");

        assertThat(made.exitCode()).as(made.stderr()).isZero();
        assertThat(out).isRegularFile();
    }

    @Test
    void generateAndPolicyRefuseAMissingDirectoryToo() {
        Path missing = dir.resolve("typo");

        Cli.Run generate = Cli.run("generate", "-c", CONFIG, "-o", missing.toString());
        Cli.Run policy = Cli.run(
                "policy",
                "-c",
                CONFIG,
                "-d",
                "example.com",
                "-o",
                missing.resolve("policy.txt").toString());

        assertThat(generate.exitCode()).isEqualTo(2);
        assertThat(generate.errorLines())
                .containsExactly(
                        missing + ": error: no such directory; create it first, or add --mkdir [output.no-directory]");
        assertThat(policy.exitCode()).isEqualTo(2);
        assertThat(policy.errorLines())
                .containsExactly(
                        missing + ": error: no such directory; create it first, or add --mkdir [output.no-directory]");
        assertThat(missing).doesNotExist();

        assertThat(Cli.run("generate", "-c", CONFIG, "-o", missing.toString(), "--mkdir")
                        .exitCode())
                .isZero();
        assertThat(missing.resolve("example.com.zone")).isRegularFile();
    }

    @Test
    void aZoneWithoutTtlIsSignedWithBindsWarningNamingTheFile() throws Exception {
        Path noTtl = dir.resolve("no-ttl.zone");
        Files.writeString(
                noTtl,
                String.join(
                        "\n",
                        "features.example. IN SOA ns1.features.example. hostmaster.features.example. 1 3600 900 604800 300",
                        "features.example. IN NS ns1.features.example.",
                        "ns1.features.example. IN A 192.0.2.1",
                        ""),
                StandardCharsets.US_ASCII);

        Cli.Run run = sign(noTtl);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.errorLines()).hasSize(2);
        assertThat(run.errorLines().get(0))
                .isEqualTo(noTtl + ":1: warning: no TTL specified; using SOA MINTTL instead: no $TTL before the SOA"
                        + " record, so every record without a TTL gets the SOA minimum, 300 seconds; put '$TTL 300'"
                        + " first to say so [zone.no-ttl]");
        assertThat(run.errorLines().get(1)).contains(": written (serial ");
    }

    @Test
    void aZoneWithTtlOrWithATtlOnItsSoaHasNoSuchWarning() throws Exception {
        Path soaTtl = dir.resolve("soa-ttl.zone");
        Files.writeString(
                soaTtl,
                "features.example. 3600 IN SOA ns1.features.example. hostmaster.features.example. 1 3600 900 604800 300\n"
                        + "features.example. IN NS ns1.features.example.\n"
                        + "ns1.features.example. IN A 192.0.2.1\n",
                StandardCharsets.US_ASCII);

        assertThat(sign(zone).stderr()).doesNotContain("zone.no-ttl");
        assertThat(sign(soaTtl).stderr()).doesNotContain("zone.no-ttl");
    }
}
