package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.Cli;

/**
 * {@code check} with the configured resolver unreachable: every lookup, the MTA-STS policy host's
 * included, goes through it, so every observation that needs DNS is UNKNOWN and none is judged
 * from what another resolver says.
 */
class CheckWithDnsDownTest {

    @TempDir
    Path dir;

    @Test
    void thePolicyHostIsUnknownLikeEveryOtherLookupNotCritical() throws Exception {
        Path certs = Files.createDirectories(dir.resolve("certs"));
        Files.copy(Path.of("examples/certs/mx1.example.com/fullchain.pem"), certs.resolve("fullchain.pem"));
        // UDP port 9 on loopback: nothing answers, the kernel says "port unreachable" at once
        Path config = Files.writeString(dir.resolve("mxpolicy.yaml"), """
                zones:
                  example.com:
                    ttl: 3600
                    nameservers: [ "127.0.0.1:9" ]
                dns:
                  resolvers: [ "127.0.0.1:9" ]
                domains:
                  - name: example.com
                    mx:
                      - host: mx1.example.com
                        cert: certs/fullchain.pem
                    mta_sts: { mode: enforce, mx: [ mx1.example.com ] }
                """);

        Cli.Run run = Cli.run("check", "-c", config.toString(), "--timeout", "2s");

        assertThat(run.stdout())
                .as(run.stdout() + run.stderr())
                .contains("[mta-sts.address-lookup]")
                .doesNotContain("no address for mta-sts.example.com")
                .doesNotContain("[mta-sts.fetch]");
        assertThat(run.stdout().lines().filter(l -> l.startsWith("CRITICAL")))
                .as(run.stdout())
                .isEmpty();
        assertThat(run.exitCode()).as(run.stdout()).isEqualTo(3);
    }
}
