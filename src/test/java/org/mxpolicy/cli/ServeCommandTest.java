package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.Cli;

/** What {@code mxpolicy serve} refuses before it opens a port: a config of which no host can be served (exit 2). */
class ServeCommandTest {

    private static final Path CERTS = Path.of("examples/certs").toAbsolutePath();

    private static Path config(Path dir, String mtaSts) throws Exception {
        Path file = dir.resolve("provider.yaml");
        Files.writeString(file, """
                zones:
                  example.com: {}
                domains:
                  - name: example.com
                    mx:
                      - host: mx1.example.com
                        cert: %s/mx1.example.com/fullchain.pem
                    mta_sts:
                %s
                """.formatted(CERTS, mtaSts.indent(6)), StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void aDomainWithoutCertAndKeyIsNotServedAndNothingLeftIsAnError(@TempDir Path dir) throws Exception {
        Cli.Run run = Cli.run(
                "serve",
                "-c",
                config(dir, "mode: enforce").toString(),
                "--listen",
                "127.0.0.1:0",
                "--admin",
                "127.0.0.1:0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr())
                .contains("warning: mta-sts.example.com is not served: mta_sts has no cert and key")
                .contains("[serve.no-cert]")
                .contains("mxpolicy: no host can be served");
    }

    @Test
    void aMissingKeyFileIsReportedAtTheConfigLineThatNamesIt(@TempDir Path dir) throws Exception {
        Path config = config(dir, """
                mode: enforce
                cert: %s/mta-sts.example.com/fullchain.pem
                key: no-such-key.pem""".formatted(CERTS));
        Cli.Run run = Cli.run("serve", "-c", config.toString(), "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine())
                .startsWith(config + ":11:")
                .contains("cannot read")
                .contains("no-such-key.pem")
                .contains("no such file");
    }

    @Test
    void theKeyOfAnotherCertificateIsRefused(@TempDir Path dir) throws Exception {
        Path config = config(dir, """
                mode: enforce
                cert: %1$s/mta-sts.example.com/fullchain.pem
                key: %1$s/mta-sts.example.net/privkey.pem""".formatted(CERTS));
        Cli.Run run = Cli.run("serve", "-c", config.toString(), "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr())
                .contains(config + ":10:")
                .contains("[serve.key-mismatch]")
                .contains("no host can be served");
    }

    @Test
    void aClientConfigurationHostIsCheckedLikeAPolicyHost(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("provider.yaml");
        Files.writeString(file, """
                zones:
                  example.com: {}
                domains:
                  - name: example.com
                    mx:
                      - host: mx1.example.com
                        cert: %1$s/mx1.example.com/fullchain.pem
                    client_services:
                      imaps: imap.example.com
                      autoconfig:
                        cert: %1$s/autoconfig.example.com/fullchain.pem
                        key: %1$s/autodiscover.example.com/privkey.pem
                      autodiscover:
                        cert: %1$s/autodiscover.example.com/fullchain.pem
                        key: no-such-key.pem
                """.formatted(CERTS), StandardCharsets.UTF_8);
        Cli.Run run = Cli.run("serve", "-c", file.toString(), "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0");
        // neither host can be served: the unreadable key and the wrong one, each on its line
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.errorLines())
                .anySatisfy(l -> assertThat(l).startsWith(file + ":15:").contains("no-such-key.pem"))
                .anySatisfy(l -> assertThat(l).startsWith(file + ":11:").contains("[serve.key-mismatch]"))
                .last()
                .asString()
                .contains("no host can be served");

        Files.writeString(
                file, Files.readString(file).replace("no-such-key.pem", CERTS + "/mta-sts.example.com/privkey.pem"));
        Cli.Run refused = Cli.run("serve", "-c", file.toString(), "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0");
        assertThat(refused.exitCode()).as(refused.stderr()).isEqualTo(2);
        assertThat(refused.stderr())
                .contains(file + ":11:")
                .contains(file + ":14:")
                .contains("[serve.key-mismatch]")
                .contains("autoconfig.example.com is not served")
                .contains("autodiscover.example.com is not served")
                .contains("no host can be served");
    }

    @Test
    void anUnknownTlsProfileIsAUsageError() {
        Cli.Run run = Cli.run("serve", "-c", "examples/provider.yaml", "--tls-profile", "openssl");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).contains("--tls-profile").contains("'openssl' is neither bsi nor modern");
    }

    @Test
    void aBadListenAddressIsAUsageError() {
        Cli.Run run = Cli.run("serve", "-c", "examples/provider.yaml", "--listen", "443");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).contains("--listen").contains("is not ADDR:PORT");
    }
}
