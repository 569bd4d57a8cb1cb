package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.Cli;

/**
 * {@code publish} for a zone mxpolicy signs itself: merge into the zone file, sign, verify,
 * write, run the reload command only when the output changed. No DNS server is involved
 * ({@code --wait 0}); serving signed zones is covered by the signer's interop tests.
 */
class PublishSignedZoneTest {

    @TempDir
    Path dir;

    private Path config() throws Exception {
        Path examples = Path.of("examples").toAbsolutePath();
        String original = Files.readString(examples.resolve("provider.yaml"));
        String zones = """
                zones:
                  example.com:
                    sign:
                      zone_file: %s
                      output: %s
                      keys: %s
                      reload: touch %s
                  example.net: { ttl: 3600 }
                """.formatted(
                        examples.resolve("zones/example.com.zone"),
                        dir.resolve("example.com.signed"),
                        dir.resolve("keys"),
                        dir.resolve("reloaded"));
        String text = original.replaceFirst(
                "(?s)zones:\\n  example.com: \\{ ttl: 3600 \\}\\n  example.net: \\{ ttl: 3600 \\}\\n", zones);
        // the config names its certificates relative to itself
        try (var files = Files.walk(examples.resolve("certs"))) {
            for (Path source : files.toList()) {
                Path target = dir.resolve(examples.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        Path config = dir.resolve("provider.yaml");
        Files.writeString(config, text);
        return config;
    }

    @Test
    void applySignsTheMergedZoneAndReloadsOnlyWhenItChanged() throws Exception {
        Path config = config();
        Files.createDirectory(dir.resolve("keys"));
        assertThat(Cli.run(
                                "keygen",
                                "--zone",
                                "example.com",
                                "-K",
                                dir.resolve("keys").toString())
                        .exitCode())
                .isZero();

        Cli.Run dryRun = Cli.run("publish", "-c", config.toString(), "--zone", "example.com");
        assertThat(dryRun.exitCode()).as(dryRun.stderr()).isZero();
        assertThat(dir.resolve("example.com.signed")).doesNotExist();
        // the plan per RRset, as for zones updated with RFC 2136: nothing is signed yet, so all are new
        assertThat(dryRun.stdout())
                .containsPattern("zone example\\.com\\.: \\d+ change\\(s\\)")
                .containsPattern("(?m)^    \\+ _25\\._tcp\\.mx1\\.example\\.com\\. \\d+ IN TLSA 3 1 1 [0-9a-f]{64}$")
                .containsPattern("(?m)^    \\+ _mta-sts\\.example\\.com\\. \\d+ IN TXT \"v=STSv1; id=");

        Cli.Run first = Cli.run("publish", "-c", config.toString(), "--zone", "example.com", "--apply", "--wait", "0s");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stderr()).contains("signed and written", "ran 'touch");
        assertThat(dir.resolve("reloaded")).exists();
        Cli.Run verify = Cli.run(
                "verify",
                "--zone",
                "example.com",
                dir.resolve("example.com.signed").toString());
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        assertThat(Files.readString(dir.resolve("example.com.signed")))
                .contains("_25._tcp.mx1.example.com.")
                .contains("_mta-sts.example.com.");

        Cli.Run dryRunAfter = Cli.run("publish", "-c", config.toString(), "--zone", "example.com");
        assertThat(dryRunAfter.stdout()).contains("zone example.com.: no changes");

        Files.delete(dir.resolve("reloaded"));
        Cli.Run second =
                Cli.run("publish", "-c", config.toString(), "--zone", "example.com", "--apply", "--wait", "0s");
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.stderr()).contains("unchanged").doesNotContain("ran 'touch");
        assertThat(dir.resolve("reloaded")).doesNotExist();
    }

    /** A TSIG key that is missing, or readable by others, stops publish before anything is planned. */
    @Test
    void aMissingOrExposedTsigKeyIsReportedAtTheConfigLineThatNamesIt() throws Exception {
        Path config = config();
        String text = Files.readString(config)
                .replace(
                        "  example.net: { ttl: 3600 }\n",
                        "  example.net:\n    update: { server: \"127.0.0.1:53\", key: update.tsig }\n");
        Files.writeString(config, text);
        Files.createDirectory(dir.resolve("keys"));
        int line = text.lines().toList().indexOf("    update: { server: \"127.0.0.1:53\", key: update.tsig }") + 1;

        Cli.Run missing = Cli.run("publish", "-c", config.toString());
        assertThat(missing.exitCode()).as(missing.stderr()).isEqualTo(2);
        assertThat(missing.firstErrorLine())
                .startsWith(config + ":" + line + ":")
                .contains("no such file")
                .endsWith("[config.file]");

        Path key = dir.resolve("update.tsig");
        Files.writeString(key, "key \"update\" { algorithm hmac-sha256; secret \"c2VjcmV0\"; };\n");
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Cli.Run exposed = Cli.run("publish", "-c", config.toString());
        assertThat(exposed.exitCode()).as(exposed.stderr()).isEqualTo(2);
        assertThat(exposed.firstErrorLine())
                .startsWith(config + ":" + line + ":")
                .endsWith("[config.secret-file]");
    }
}
