package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.Cli;
import org.mxpolicy.zone.ZoneText;

/**
 * {@code mxpolicy sign} takes the signatures of its previous output as verified only while that
 * file is exactly what it verified and wrote.
 */
class SignIncrementalVerificationTest {

    private static final Path FEATURES = Path.of("src/test/resources/zones/features.example.zone");
    private static final Pattern WRITTEN = Pattern.compile(
            "(\\d+) signatures made, (\\d+) kept\\)(; (\\d+) of the kept signatures were verified when it was written before)?$",
            Pattern.MULTILINE);

    @TempDir
    Path dir;

    private Path keys;
    private Path zone;
    private Path out;

    @BeforeEach
    void signOnce() throws Exception {
        keys = Files.createDirectory(dir.resolve("keys"));
        assertThat(Cli.run("keygen", "--zone", "features.example", "-K", keys.toString())
                        .exitCode())
                .isZero();
        zone = dir.resolve("features.example.zone");
        Files.copy(FEATURES, zone);
        out = dir.resolve("out.zone");
        Cli.Run first = sign();
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        // The next run has something to sign: one address changes.
        Files.writeString(zone, Files.readString(zone).replace("192.0.2.25", "192.0.2.125"));
    }

    private Cli.Run sign() {
        return Cli.run(
                "sign", "--zone", "features.example", "-K", keys.toString(), "-o", out.toString(), zone.toString());
    }

    private static Matcher written(Cli.Run run) {
        Matcher m = WRITTEN.matcher(run.stderr());
        assertThat(m.find()).as(run.stderr()).isTrue();
        return m;
    }

    @Test
    void theOutputStartsWithTheVerifiedHeaderOverTheRestOfTheFile() throws Exception {
        byte[] file = Files.readAllBytes(out);

        assertThat(new String(file, StandardCharsets.UTF_8)).startsWith(ZoneText.VERIFIED_HEADER);
        assertThat(ZoneText.verifiedBody(file)).isPositive();
        assertThat(Cli.run("verify", "--zone", "features.example", out.toString())
                        .exitCode())
                .isZero();
    }

    @Test
    void anUntouchedPreviousOutputKeepsItsSignaturesWithoutCheckingThemAgain() {
        Cli.Run run = sign();

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        Matcher m = written(run);
        assertThat(Integer.parseInt(m.group(2))).isPositive();
        assertThat(m.group(4)).isEqualTo(m.group(2));
        assertThat(run.stderr()).doesNotContain("verified again");
    }

    @Test
    void anEditedPreviousOutputHasEverySignatureVerifiedAgain() throws Exception {
        Files.writeString(out, Files.readString(out) + "; a comment added by hand\n");

        Cli.Run run = sign();

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains(out + ": changed since mxpolicy verified and wrote it");
        Matcher m = written(run);
        assertThat(Integer.parseInt(m.group(2))).isPositive();
        assertThat(m.group(3)).isNull();
        assertThat(ZoneText.verifiedBody(Files.readAllBytes(out))).isPositive();
    }

    @Test
    void aCorruptedSignatureInThePreviousOutputIsCaughtAndEverythingSignedAnew() throws Exception {
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("mx2.features.example. 3600 IN RRSIG AAAA ")) {
                lines.set(i, SignVerifyCommandTest.corruptSignature(lines.get(i)));
            }
        }
        Files.write(out, lines, StandardCharsets.UTF_8);

        Cli.Run run = sign();

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr())
                .contains("changed since mxpolicy verified and wrote it")
                .contains("signatures taken over from it do not verify; signing every RRset anew");
        assertThat(written(run).group(2)).isEqualTo("0");
        assertThat(Cli.run("verify", "--zone", "features.example", out.toString())
                        .exitCode())
                .isZero();
    }
}
