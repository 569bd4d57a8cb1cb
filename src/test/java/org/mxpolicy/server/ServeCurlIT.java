package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.GoldenFiles;
import org.mxpolicy.testing.Launcher;

/**
 * {@code mxpolicy serve} as users run it (the packaged launcher, the example config), asked by
 * curl, which uses OpenSSL (or whichever TLS library it is built with) rather than the JDK.
 */
class ServeCurlIT {

    private static final String HOST = "mta-sts.example.com";
    private static final String PATH = "/.well-known/mta-sts.txt";

    @Test
    void curlFetchesThePolicyOverTls12And13AndTheServerStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        ExternalTool curl = ExternalTool.require("curl");
        Path expected = dir.resolve("expected.txt");
        Launcher.run("policy", "-c", "examples/provider.yaml", "-d", "example.com", "-o", expected.toString())
                .assertSuccess();

        try (ServeProcess server = ServeProcess.start(Path.of("examples/provider.yaml"), dir.resolve("serve.log"))) {
            int port = server.port;
            String url = "https://" + HOST + ":" + port + PATH;
            List<String> common = List.of(
                    "-sS",
                    "--max-time",
                    "20",
                    "--cacert",
                    "examples/certs/ca/root.pem",
                    "--resolve",
                    HOST + ":" + port + ":127.0.0.1");

            Path fetched = dir.resolve("fetched.txt");
            curl.run(args(common, "-o", fetched.toString(), url)).assertSuccess();
            assertThat(Files.readAllBytes(fetched)).isEqualTo(Files.readAllBytes(expected));

            Path fetched12 = dir.resolve("fetched12.txt");
            curl.run(args(
                            common,
                            "--tlsv1.2",
                            "--tls-max",
                            "1.2",
                            "--ciphers",
                            "ECDHE-ECDSA-AES128-GCM-SHA256",
                            "-o",
                            fetched12.toString(),
                            url))
                    .assertSuccess();
            assertThat(Files.readAllBytes(fetched12)).isEqualTo(Files.readAllBytes(expected));

            ExternalTool.Result cbc = curl.run(args(
                    common,
                    "--tlsv1.2",
                    "--tls-max",
                    "1.2",
                    "--ciphers",
                    "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256",
                    "-o",
                    dir.resolve("cbc.txt").toString(),
                    url));
            assertThat(cbc.exitCode())
                    .as("curl with CBC suites only: %s", cbc.stderr())
                    .isNotZero();

            ExternalTool.Result post =
                    curl.run(args(common, "-X", "POST", "-o", "/dev/null", "-w", "%{http_code}", url));
            assertThat(post.stdout()).as(post.stderr()).isEqualTo("405");

            ExternalTool.Result head =
                    curl.run(args(common, "-I", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", url));
            assertThat(head.stdout().strip()).isEqualTo("200");

            String autoconfig = "autoconfig.example.com";
            ExternalTool.Result thunderbird = curl.run(
                    "-sS",
                    "--max-time",
                    "20",
                    "--cacert",
                    "examples/certs/ca/root.pem",
                    "--resolve",
                    autoconfig + ":" + port + ":127.0.0.1",
                    "https://" + autoconfig + ":" + port + "/mail/config-v1.1.xml?emailaddress=j.doe%40example.com");
            assertThat(thunderbird.stdout())
                    .as(thunderbird.stderr())
                    .isEqualTo(Files.readString(GoldenFiles.ROOT.resolve("serve/autoconfig-example.com.xml")));
            String autodiscover = "autodiscover.example.com";
            ExternalTool.Result outlook = curl.run(
                    "-sS",
                    "--max-time",
                    "20",
                    "--cacert",
                    "examples/certs/ca/root.pem",
                    "--resolve",
                    autodiscover + ":" + port + ":127.0.0.1",
                    "-H",
                    "Content-Type: text/xml",
                    "--data-binary",
                    "<Autodiscover><Request><EMailAddress>j.doe+lists@example.com</EMailAddress>"
                            + "</Request></Autodiscover>",
                    "https://" + autodiscover + ":" + port + "/autodiscover/autodiscover.xml");
            assertThat(outlook.stdout())
                    .as(outlook.stderr())
                    .isEqualTo(Files.readString(GoldenFiles.ROOT.resolve("serve/autodiscover-example.com.xml")));

            assertThat(server.stop()).as(server.log()).isZero();
            assertThat(server.log())
                    .contains("serving mta-sts.example.com, mta-sts.example.net, autoconfig.example.com,"
                            + " autodiscover.example.com")
                    .contains("\"GET " + PATH + " HTTP/1.1\" 200");
        }
    }

    @Test
    void sighupReloadsConfigAndCertificatesWithoutRestart(@TempDir Path dir) throws Exception {
        ExternalTool curl = ExternalTool.require("curl");
        Path certs = Path.of("examples/certs").toAbsolutePath();
        Path config = dir.resolve("provider.yaml");
        Files.writeString(config, reloadConfig(certs, false), StandardCharsets.UTF_8);

        // without watching, so that only the signal can cause the reload
        try (ServeProcess server = ServeProcess.start(config, dir.resolve("serve.log"), "--no-watch")) {
            int port = server.port;
            String net = "mta-sts.example.net";
            String[] fetchNet = args(
                    List.of(
                            "-sS",
                            "--max-time",
                            "20",
                            "--cacert",
                            "examples/certs/ca/root.pem",
                            "--resolve",
                            net + ":" + port + ":127.0.0.1"),
                    "https://" + net + ":" + port + PATH);
            assertThat(curl.run(fetchNet).exitCode())
                    .as("%s is not served before the reload", net)
                    .isNotZero();

            Files.writeString(config, reloadConfig(certs, true), StandardCharsets.UTF_8);
            ExternalTool.require("kill")
                    .run("-HUP", String.valueOf(server.process.pid()))
                    .assertSuccess();

            long deadline = System.nanoTime() + ServeProcess.STARTUP_LIMIT.toNanos();
            ExternalTool.Result fetched = curl.run(fetchNet);
            while (fetched.exitCode() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                fetched = curl.run(fetchNet);
            }
            assertThat(fetched.exitCode())
                    .as("after SIGHUP: %s; log:%n%s", fetched.stderr(), server.log())
                    .isZero();
            assertThat(fetched.stdout()).contains("mode: testing\r\n");
            assertThat(server.log()).contains("mxpolicy: reloaded");
            assertThat(server.stop()).isZero();
        }
    }

    /** A config with example.com's policy host, and with {@code withNet} example.net's too. */
    private static String reloadConfig(Path certs, boolean withNet) {
        String domain = """
                  - name: example.%1$s
                    mx:
                      - host: mx1.example.com
                        cert: %2$s/mx1.example.com/fullchain.pem
                    mta_sts:
                      mode: %3$s
                      mx: ["*.example.com"]
                      cert: %2$s/mta-sts.example.%1$s/fullchain.pem
                      key: %2$s/mta-sts.example.%1$s/privkey.pem
                """;
        return "zones:\n  example.com: {}\n  example.net: {}\ndomains:\n" + domain.formatted("com", certs, "enforce")
                + (withNet ? domain.formatted("net", certs, "testing") : "");
    }

    /** {@code serve.tls_profile} in the config chooses the profile; without it, {@code bsi} refuses X25519. */
    @Test
    void theConfigsTlsProfileDecidesWhetherX25519IsOffered(@TempDir Path dir) throws Exception {
        ExternalTool curl = ExternalTool.require("curl");
        Path config = dir.resolve("modern.yaml");
        Files.writeString(
                config, Files.readString(Path.of("examples/provider.yaml")) + "serve:\n  tls_profile: modern\n");
        Files.createSymbolicLink(dir.resolve("certs"), Path.of("examples/certs").toAbsolutePath());

        for (Path served : List.of(config, Path.of("examples/provider.yaml"))) {
            try (ServeProcess server = ServeProcess.start(served, dir.resolve(served.getFileName() + ".log"))) {
                ExternalTool.Result x25519 = curl.run(
                        "-sS",
                        "--max-time",
                        "20",
                        "--cacert",
                        "examples/certs/ca/root.pem",
                        "--resolve",
                        HOST + ":" + server.port + ":127.0.0.1",
                        "--curves",
                        "X25519",
                        "-o",
                        "/dev/null",
                        "https://" + HOST + ":" + server.port + PATH);
                server.stop();
                if (served == config) {
                    assertThat(x25519.exitCode()).as(x25519.stderr()).isZero();
                    assertThat(server.log()).contains("TLS profile modern");
                } else {
                    assertThat(x25519.exitCode()).as("bsi offers no X25519").isNotZero();
                    assertThat(server.log()).contains("TLS profile bsi");
                }
            }
        }
    }

    private static String[] args(List<String> common, String... more) {
        List<String> all = new ArrayList<>(common);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
