package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.Cli;

/** {@code rollover prepare} refuses what it cannot finish, before it stages or publishes anything. */
class RolloverPrepareTest {

    @TempDir
    Path dir;

    @Test
    void aHostWithTlsaSelector0IsRefusedWithTheReason() throws Exception {
        Path certs = Files.createDirectories(dir.resolve("certs"));
        Files.copy(Path.of("examples/certs/mx1.example.com/fullchain.pem"), certs.resolve("fullchain.pem"));
        Path config = Files.writeString(dir.resolve("mxpolicy.yaml"), """
                zones:
                  example.com:
                    ttl: 3600
                    nameservers: [ "127.0.0.1:9" ]
                dns:
                  resolvers: [ "127.0.0.1:9" ]
                rollover:
                  state_dir: state
                domains:
                  - name: example.com
                    mx:
                      - host: mx1.example.com
                        cert: certs/fullchain.pem
                        tlsa: { selector: 0 }
                """);

        Cli.Run run = Cli.run("rollover", "prepare", "-c", config.toString(), "--mx", "mx1.example.com");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.errorLines()).as(run.stderr()).hasSize(1);
        assertThat(run.firstErrorLine())
                .startsWith(config + ":14:")
                .contains("needs TLSA selector 1")
                .contains("[rollover.selector]");
        assertThat(dir.resolve("state")).doesNotExist();
    }
}
