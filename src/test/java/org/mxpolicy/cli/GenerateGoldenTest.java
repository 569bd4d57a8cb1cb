package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.files.AtomicFiles;
import org.mxpolicy.testing.Cli;
import org.mxpolicy.testing.GoldenFiles;

/** The shipped example config, rendered in every format, against reviewed golden files. */
class GenerateGoldenTest {

    private static final String CONFIG = "examples/provider.yaml";

    @Test
    void zoneFragments() {
        Cli.Run run = Cli.run("generate", "-c", CONFIG);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        GoldenFiles.assertMatches("examples/generate.zone", run.stdout());
    }

    /** The hosting provider's form (mx_hosts, a profile, a customer in an included file) gives the same records. */
    @Test
    void theHostedFormOfTheExampleGivesTheSameRecords() {
        Cli.Run run = Cli.run("generate", "-c", "examples/hosted.yaml");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        GoldenFiles.assertMatches(
                "examples/generate.zone",
                run.stdout().replace("; generated from hosted.yaml:", "; generated from provider.yaml:"));
        for (String domain : new String[] {"example.com", "example.net"}) {
            Cli.Run policy = Cli.run("policy", "-c", "examples/hosted.yaml", "--domain", domain);
            GoldenFiles.assertMatches("examples/mta-sts." + domain + ".txt", policy.stdout());
        }
    }

    @Test
    void nsupdateScript() {
        Cli.Run run = Cli.run("generate", "-c", CONFIG, "--format", "nsupdate");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        GoldenFiles.assertMatches("examples/generate.nsupdate", run.stdout());
    }

    @Test
    void json() {
        Cli.Run run = Cli.run("generate", "-c", CONFIG, "--format", "json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        GoldenFiles.assertMatches("examples/generate.json", run.stdout());
    }

    @Test
    void mtaStsPolicies() {
        for (String domain : new String[] {"example.com", "example.net"}) {
            Cli.Run run = Cli.run("policy", "-c", CONFIG, "--domain", domain);

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            GoldenFiles.assertMatches("examples/mta-sts." + domain + ".txt", run.stdout());
        }
    }

    @Test
    void twoRunsGiveIdenticalBytes() {
        assertThat(Cli.run("generate", "-c", CONFIG).stdout())
                .isEqualTo(Cli.run("generate", "-c", CONFIG).stdout());
    }

    @Test
    void outputDirectoryGetsOneFilePerZoneMatchingStdout(@TempDir Path dir) throws Exception {
        Cli.Run run = Cli.run("generate", "-c", CONFIG, "-o", dir.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("example.com.zone", "example.net.zone");
        }
        String joined = Files.readString(dir.resolve("example.com.zone")) + "\n"
                + Files.readString(dir.resolve("example.net.zone"));
        assertThat(joined).isEqualTo(Cli.run("generate", "-c", CONFIG).stdout());
        assertThat(Files.getPosixFilePermissions(dir.resolve("example.com.zone")))
                .isEqualTo(AtomicFiles.PUBLIC);

        Cli.Run again = Cli.run("generate", "-c", CONFIG, "-o", dir.toString());
        assertThat(again.stderr()).contains("example.com.zone: unchanged");
        assertThat(AtomicFiles.leftovers(dir)).isEmpty();
    }
}
