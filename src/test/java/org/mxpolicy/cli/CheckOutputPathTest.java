package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.check.CheckReport;
import org.mxpolicy.check.CheckResult;
import org.mxpolicy.check.CheckStatus;
import org.mxpolicy.testing.Cli;

/**
 * {@code check -o FILE} in a directory that does not exist: refused before any probe, as
 * {@code generate}, {@code policy} and {@code sign} refuse it, since a typo in a cron line would
 * otherwise make a new tree nobody reads.
 */
class CheckOutputPathTest {

    @TempDir
    Path dir;

    @Test
    void aMissingDirectoryIsRefusedBeforeTheCheckRuns() throws Exception {
        Path output = dir.resolve("no-such-dir/check.prom");

        Cli.Run run =
                Cli.run("check", "-c", "examples/provider.yaml", "--format", "prometheus", "-o", output.toString());

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr().strip())
                .startsWith(dir.resolve("no-such-dir") + ": ")
                .contains("no such directory")
                .contains("--mkdir")
                .doesNotContain("\n");
        assertThat(dir.resolve("no-such-dir")).doesNotExist();
    }

    @Test
    void mkdirMakesTheDirectoryAndTheReportGoesThere() throws Exception {
        CheckReport report = new CheckReport(
                Instant.parse("2026-12-07T20:00:00Z"),
                Duration.ofSeconds(1),
                List.of(new CheckResult(CheckStatus.OK, "dane.verified", "mx1.example.com", "fine")),
                List.of(),
                List.of());
        Path shard = Files.writeString(
                dir.resolve("shard.json"),
                CheckOutput.json.render(
                        report, false, Map.of("shard", Map.of("index", 1, "count", 1, "config", "ab"))));
        Path output = dir.resolve("made/check.json");

        Cli.Run run =
                Cli.run("check", "--merge", shard.toString(), "--format", "json", "-o", output.toString(), "--mkdir");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(Files.readString(output)).contains("dane.verified");
    }
}
