package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.Cli;

/** The progress line of {@code sign} and {@code verify}: on request or at a terminal, never in a pipe. */
class SignProgressTest {

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

    private Cli.Run sign(String... extra) {
        List<String> args = new ArrayList<>(List.of("sign", "--zone", "features.example", "-K", keys.toString()));
        args.addAll(List.of(extra));
        args.add(zone.toString());
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void withProgressStderrShowsAPercentageLineRewrittenInPlaceUpToOneHundred() {
        Cli.Run run = sign("--progress");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr())
                .containsPattern("\rsigning features\\.example: \\d{1,2}% \\(\\d+/\\d+ RRsets\\)")
                .containsPattern("\rsigning features\\.example: 100% \\((\\d+)/\\1 RRsets\\)\n")
                .containsPattern("\rverifying features\\.example: 100% \\((\\d+)/\\1 RRsets\\)\n");
        assertThat(run.errorLines()).last().asString().contains(": written (serial ");
    }

    @Test
    void whenStderrIsNotATerminalNothingButTheResultIsPrinted() {
        Cli.Run run = sign();

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).doesNotContain("\r").doesNotContain("%");
        assertThat(run.errorLines()).singleElement().asString().contains(": written (serial ");
    }

    @Test
    void noProgressTurnsItOffAndVerifyHasTheOptionToo() {
        Cli.Run run = sign("--no-progress");
        Cli.Run verify = Cli.run("verify", "--zone", "features.example", "--progress", zone + ".signed");

        assertThat(run.stderr()).doesNotContain("\r");
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        assertThat(verify.stderr()).containsPattern("\rverifying features\\.example: 100% \\((\\d+)/\\1 RRsets\\)\n");
    }
}
