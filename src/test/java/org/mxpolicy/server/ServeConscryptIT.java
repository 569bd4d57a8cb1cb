package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.Launcher;

/**
 * {@code mxpolicy serve --tls-engine conscrypt} from the packaged jar: the shaded jar still
 * carries Conscrypt's native library (the start message names Conscrypt, not the JSSE fallback),
 * and OpenSSL clients get the same TLS as from the JSSE engine: TLS 1.3 and 1.2, the server's
 * suite order on TLS 1.2, no CBC, no TLS 1.1, the certificate chosen by SNI.
 */
class ServeConscryptIT {

    private static final String COM = "mta-sts.example.com";
    private static final String NET = "mta-sts.example.net";
    private static final String PATH = "/.well-known/mta-sts.txt";

    @Test
    void conscryptServesThePolicyWithTheSameTlsSettings(@TempDir Path dir) throws Exception {
        ExternalTool curl = ExternalTool.require("curl");
        ExternalTool openssl = ExternalTool.require("openssl");
        Path expected = dir.resolve("expected.txt");
        Launcher.run("policy", "-c", "examples/provider.yaml", "-d", "example.com", "-o", expected.toString())
                .assertSuccess();

        try (ServeProcess server = ServeProcess.start(Path.of("examples/provider.yaml"), dir.resolve("serve.log"),
                "--tls-engine", "conscrypt")) {
            assertThat(server.log()).contains("mxpolicy: TLS engine: Conscrypt ").doesNotContain("JSSE");
            int port = server.port;
            List<String> common = List.of("-sS", "--max-time", "20", "--cacert", "examples/certs/ca/root.pem",
                    "--resolve", COM + ":" + port + ":127.0.0.1", "--resolve", NET + ":" + port + ":127.0.0.1");

            Path fetched = dir.resolve("fetched.txt");
            curl.run(args(common, "-o", fetched.toString(), "https://" + COM + ":" + port + PATH)).assertSuccess();
            assertThat(Files.readAllBytes(fetched)).isEqualTo(Files.readAllBytes(expected));

            ExternalTool.Result misdirected = curl.run(args(common, "-H", "Host: " + NET, "-o", "/dev/null",
                    "-w", "%{http_code}", "https://" + COM + ":" + port + PATH));
            assertThat(misdirected.stdout()).as(misdirected.stderr()).isEqualTo("421");

            String connect = "127.0.0.1:" + port;
            ExternalTool.Result tls12 = openssl.run("s_client", "-connect", connect, "-servername", COM, "-brief",
                    "-CAfile", ExampleHosts.ROOT_CA.toString(), "-verify_return_error",
                    "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384");
            assertThat(tls12.stderr()).contains("Protocol version: TLSv1.2")
                    .contains("Ciphersuite: ECDHE-ECDSA-AES256-GCM-SHA384");
            ExternalTool.Result net = openssl.run("s_client", "-connect", connect, "-servername", NET, "-brief",
                    "-CAfile", ExampleHosts.ROOT_CA.toString(), "-verify_return_error");
            assertThat(net.stderr()).contains("Protocol version: TLSv1.3").containsPattern("Peer certificate: .*CN ?= ?" + NET);
            for (List<String> refused : List.of(List.of("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES128-SHA256"),
                    List.of("-tls1_1", "-cipher", "ALL:@SECLEVEL=0"), List.of("-noservername"))) {
                List<String> command = new ArrayList<>(List.of("s_client", "-connect", connect, "-brief",
                        "-CAfile", ExampleHosts.ROOT_CA.toString(), "-verify_return_error"));
                if (!refused.contains("-noservername")) {
                    command.addAll(List.of("-servername", COM));
                }
                command.addAll(refused);
                ExternalTool.Result result = openssl.run(command.toArray(String[]::new));
                assertThat(result.stderr()).as(String.join(" ", refused)).doesNotContain("CONNECTION ESTABLISHED");
            }
            assertThat(server.stop()).isZero();
        }
    }

    private static String[] args(List<String> common, String... more) {
        List<String> all = new ArrayList<>(common);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
