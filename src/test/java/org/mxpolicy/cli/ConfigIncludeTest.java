package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.Cli;

/** {@code include: conf.d/*.yaml}: a customer is a file; its problems are reported at its own lines. */
class ConfigIncludeTest {

    @TempDir
    Path dir;

    private Path config;
    private Path confD;

    @BeforeEach
    void provider() throws Exception {
        Path examples = Path.of("examples").toAbsolutePath();
        config = dir.resolve("hosted.yaml");
        Files.writeString(config, """
                zones:
                  example.com: {}
                mx_hosts:
                  - host: mx1.example.com
                    cert: %s
                domains:
                  - { name: example.com, mx: [mx1.example.com] }
                include: conf.d/*.yaml
                """.formatted(examples.resolve("certs/mx1.example.com/fullchain.pem")));
        confD = Files.createDirectory(dir.resolve("conf.d"));
        Files.setPosixFilePermissions(confD, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Path customer(String name, String text) throws Exception {
        Path file = confD.resolve(name);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    @Test
    void everyMatchingFileAddsItsZonesAndDomains() throws Exception {
        customer("c1.yaml", "zones: { c1.example: {} }\ndomains: [ { name: c1.example, mx: [mx1.example.com] } ]\n");
        customer("c2.yaml", "zones: { c2.example: {} }\ndomains: [ { name: c2.example, mx: [mx1.example.com] } ]\n");
        customer("c3.yaml.disabled", "this is not read: [");

        Cli.Run run = Cli.run("generate", "-c", config.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout())
                .contains("in zone c1.example.")
                .contains("in zone c2.example.")
                .doesNotContain("c3");
    }

    @Test
    void aProblemInAnIncludedFileIsReportedAtItsOwnLine() throws Exception {
        Path c1 = customer("c1.yaml", """
                zones: { c1.example: {} }
                domains:
                  - name: c1.example
                    mx: [mx1.example.com]
                    tls_rpt: { rua: "https://reports.example/" }
                dns: { resolvers: [192.0.2.1] }
                """);

        Cli.Run run = Cli.run("generate", "-c", config.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines())
                .anyMatch(l -> l.startsWith(c1 + ":5:21: error: report URI"))
                .anyMatch(l -> l.startsWith(c1 + ":6:1: error: an included file holds only 'zones' and 'domains'"));
    }

    @Test
    void aZoneInTwoFilesIsNamedWithTheFirstFile() throws Exception {
        customer("a.yaml", "zones: { c1.example: {} }\ndomains: [ { name: c1.example, mx: [mx1.example.com] } ]\n");
        Path b = customer("b.yaml", "zones: { c1.example: {} }\n");

        Cli.Run run = Cli.run("generate", "-c", config.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine())
                .startsWith(b + ":1:10: error: zone 'c1.example' is listed twice (first at " + confD.resolve("a.yaml")
                        + ":1)");
    }

    @Test
    void anIncludeDirectoryOthersMayWriteIsRefused() throws Exception {
        customer("c1.yaml", "zones: { c1.example: {} }\ndomains: [ { name: c1.example, mx: [mx1.example.com] } ]\n");
        Files.setPosixFilePermissions(confD, PosixFilePermissions.fromString("rwxrwxrwx"));

        Cli.Run run = Cli.run("generate", "-c", config.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).contains(confD.toString()).contains("writable by group or others");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void aMissingIncludeDirectoryIsAnErrorAtTheIncludeLine() throws Exception {
        Files.writeString(config, Files.readString(config).replace("conf.d/*.yaml", "conf.e/*.yaml"));

        Cli.Run run = Cli.run("generate", "-c", config.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine())
                .startsWith(config + ":8:10: error: cannot include conf.e/*.yaml: no directory");
    }
}
