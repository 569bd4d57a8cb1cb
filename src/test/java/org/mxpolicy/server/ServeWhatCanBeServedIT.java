package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.Launcher;

/**
 * {@code mxpolicy serve} with a config that names files it cannot use: a broken MX certificate
 * (which serve never presents) and a client configuration host whose key file is missing. The
 * policy host, whose own certificate and key are fine, is served; each problem is one line on
 * stderr naming the file, at start and again at each reload. A reload with the key file still
 * missing fails and keeps what is served; once it is there, the reload serves that host too.
 */
class ServeWhatCanBeServedIT {

    private static final String HOST = "mta-sts.example.com";
    private static final String PATH = "/.well-known/mta-sts.txt";

    @Test
    void thePolicyHostIsServedAndTheBrokenFilesAreReported(@TempDir Path dir) throws Exception {
        ExternalTool curl = ExternalTool.require("curl");
        Path certs = Path.of("examples/certs").toAbsolutePath();
        Path brokenMx = Files.writeString(dir.resolve("broken-mx.pem"), "not a certificate\n");
        Path config = dir.resolve("provider.yaml");
        Files.writeString(config, """
                zones:
                  example.com: {}
                domains:
                  - name: example.com
                    mx:
                      - host: mx1.example.com
                        cert: broken-mx.pem
                    mta_sts:
                      mode: enforce
                      cert: %1$s/mta-sts.example.com/fullchain.pem
                      key: %1$s/mta-sts.example.com/privkey.pem
                    client_services:
                      imaps: imap.example.com
                      autoconfig:
                        cert: %1$s/autoconfig.example.com/fullchain.pem
                        key: no-such-key.pem
                """.formatted(certs), StandardCharsets.UTF_8);
        // the policy as mxpolicy policy writes it, from the same config with a good MX certificate
        Path good = Files.writeString(
                dir.resolve("good.yaml"),
                Files.readString(config)
                        .replace("cert: broken-mx.pem", "cert: " + certs + "/mx1.example.com/fullchain.pem"));
        Path expected = dir.resolve("expected.txt");
        Launcher.run("policy", "-c", good.toString(), "-d", "example.com", "-o", expected.toString())
                .assertSuccess();

        try (ServeProcess server = ServeProcess.start(config, dir.resolve("serve.log"))) {
            List<String> fetch = List.of(
                    "-sS",
                    "--max-time",
                    "20",
                    "--cacert",
                    "examples/certs/ca/root.pem",
                    "--resolve",
                    HOST + ":" + server.port + ":127.0.0.1",
                    "https://" + HOST + ":" + server.port + PATH);
            ExternalTool.Result fetched = curl.run(fetch.toArray(String[]::new));
            assertThat(fetched.exitCode()).as(fetched.stderr() + server.log()).isZero();
            assertThat(fetched.stdout()).isEqualTo(Files.readString(expected));

            String started = server.log();
            assertThat(started).contains("mxpolicy: serving " + HOST + " on");
            assertThat(lines(started, brokenMx.toString())).as(started).hasSize(1);
            assertThat(lines(started, "no-such-key.pem")).as(started).hasSize(1);
            assertThat(lines(started, "no-such-key.pem").get(0)).startsWith(config + ":16:");

            // a reload with a host's key file still missing fails as a whole and says why again
            hangUp(server);
            awaitLog(server, "mxpolicy: reload failed");
            String failed = server.log();
            assertThat(lines(failed, brokenMx.toString())).as(failed).hasSize(2);
            assertThat(lines(failed, "no-such-key.pem")).as(failed).hasSize(2);

            // with the key in place, the reload serves both HTTPS hosts; the MX certificate is still reported
            Files.writeString(
                    config,
                    Files.readString(config)
                            .replace("key: no-such-key.pem", "key: " + certs + "/autoconfig.example.com/privkey.pem"));
            hangUp(server);
            awaitLog(server, "mxpolicy: reloaded");
            String reloaded = server.log();
            assertThat(reloaded)
                    .contains("mxpolicy: reloaded " + config + ": serving " + HOST + ", autoconfig.example.com");
            assertThat(lines(reloaded, brokenMx.toString())).as(reloaded).hasSize(3);
            assertThat(curl.run(fetch.toArray(String[]::new)).stdout()).isEqualTo(Files.readString(expected));
            assertThat(server.stop()).isZero();
        }
    }

    private static void hangUp(ServeProcess server) {
        ExternalTool.require("kill")
                .run("-HUP", String.valueOf(server.process.pid()))
                .assertSuccess();
    }

    private static void awaitLog(ServeProcess server, String text) throws Exception {
        long deadline = System.nanoTime() + ServeProcess.STARTUP_LIMIT.toNanos();
        while (!server.log().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(server.log()).contains(text);
    }

    private static List<String> lines(String log, String naming) {
        return log.lines().filter(l -> l.contains(naming)).toList();
    }
}
