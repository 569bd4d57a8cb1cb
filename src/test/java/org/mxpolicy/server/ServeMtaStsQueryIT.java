package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.BackgroundProcess;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.KnotAuthority;
import org.mxpolicy.testing.Launcher;
import org.mxpolicy.testing.NetworkNamespace;
import org.mxpolicy.testing.UnboundResolver;

/**
 * {@code mxpolicy serve} as an MTA-STS sender sees it: {@code mta-sts-query} (from
 * postfix-mta-sts-resolver, the policy source Postfix uses) looks up {@code _mta-sts.<domain>} TXT
 * through the system resolver, connects to {@code mta-sts.<domain>} port 443, checks the
 * certificate against the system trust store (Python's default SSL context, which honours
 * {@code SSL_CERT_FILE}) and parses the policy (RFC 8461 sections 3.1 to 3.3).
 *
 * <p>Everything runs in a network namespace of its own: Knot serves the zones with the TXT records
 * {@code mxpolicy generate} writes and {@code mta-sts.<domain>} pointing at 127.0.0.1, unbound
 * resolves for the namespace's resolv.conf, and {@code bin/mxpolicy serve} listens on
 * 127.0.0.1:443. Needs root (skipped otherwise, failed under CI).
 */
class ServeMtaStsQueryIT {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);
    private static final int KNOT_PORT = 5300;
    private static final Pattern RESULT = Pattern.compile("^\\(<STSFetchResult\\.(\\w+): \\d+>", Pattern.MULTILINE);

    @Test
    void senderFetchesAndAcceptsThePolicyOnlyWithAValidCertificateForThePolicyHost(@TempDir Path dir) throws Exception {
        ExternalTool query = ExternalTool.require("mta-sts-query");
        Path certs = Path.of("examples/certs").toAbsolutePath();
        Path rootCa = certs.resolve("ca/root.pem");
        Path config = dir.resolve("provider.yaml");
        Files.writeString(config, config(certs), StandardCharsets.UTF_8);

        Path generated = dir.resolve("zones");
        Launcher.run("generate", "-c", config.toString(), "-o", generated.toString(), "--mkdir")
                .assertSuccess();
        Map<String, Path> zones = Map.of(
                "example.com", zoneFile(dir, "example.com", generated),
                "example.net", zoneFile(dir, "example.net", generated));
        String comId = txtId(generated, "example.com");

        try (NetworkNamespace lab = NetworkNamespace.create("mxsts");
                KnotAuthority knot = KnotAuthority.start(lab, dir, "127.0.0.1", KNOT_PORT, zones);
                UnboundResolver resolver = UnboundResolver.in(lab)
                        .stubZone("example.com", knot.address(), knot.port())
                        .stubZone("example.net", knot.address(), knot.port())
                        .start(dir, "_mta-sts.example.com", "TXT");
                BackgroundProcess serve = lab.start(
                        "mxpolicy serve",
                        dir.resolve("serve.log"),
                        Map.of(),
                        Path.of("bin/mxpolicy").toAbsolutePath().toString(),
                        "serve",
                        "-c",
                        config.toString(),
                        "--listen",
                        "127.0.0.1:443",
                        "--admin",
                        "127.0.0.1:8461")) {
            lab.useResolver(UnboundResolver.ADDRESS);
            lab.awaitTcpListener(443, serve, STARTUP_LIMIT);
            List<String> trustTestCa = List.of("SSL_CERT_FILE=" + rootCa);

            // The policy of the config, with the id of the TXT record generate wrote.
            ExternalTool.Result fetched = run(lab, query, trustTestCa, "example.com");
            assertThat(result(fetched)).as(fetched.stderr()).isEqualTo("VALID");
            assertThat(fetched.stdout())
                    .contains("('" + comId + "', {")
                    .contains("'version': 'STSv1'")
                    .contains("'mode': 'enforce'")
                    .contains("'max_age': 604800")
                    .contains("'mx': ['mx1.example.com', 'mx2.example.com']");
            assertThat(serve.log())
                    .contains("\"GET /.well-known/mta-sts.txt HTTP/1.1\" 200")
                    .contains("\"mta-sts.example.com\"");
            long fetchesBefore = policyFetches(serve.log());

            // A sender that has the policy with this id does not fetch it again.
            ExternalTool.Result known = run(lab, query, trustTestCa, "example.com", comId);
            assertThat(result(known)).as(known.stderr()).isEqualTo("NOT_CHANGED");
            assertThat(policyFetches(serve.log())).isEqualTo(fetchesBefore);

            // The same server without the test CA in the trust store: the sender refuses it.
            ExternalTool.Result untrusted = run(lab, query, List.of(), "example.com");
            assertThat(result(untrusted)).as(untrusted.stderr()).isEqualTo("FETCH_ERROR");
            assertThat(untrusted.stderr()).contains("CERTIFICATE_VERIFY_FAILED");

            // example.net is served with mta-sts.example.com's certificate (serve warns): a trusted
            // chain for the wrong name is refused too, before any request is sent.
            assertThat(serve.log()).contains("serve.cert-wrong-host");
            ExternalTool.Result wrongHost = run(lab, query, trustTestCa, "example.net");
            assertThat(result(wrongHost)).as(wrongHost.stderr()).isEqualTo("FETCH_ERROR");
            assertThat(wrongHost.stderr()).contains("mta-sts.example.net").contains("CERTIFICATE_VERIFY_FAILED");
            assertThat(serve.log()).doesNotContain("\"mta-sts.example.net\"");

            assertThat(serve.terminate(Duration.ofSeconds(20))).as(serve.log()).isZero();
        }
    }

    /** mta-sts-query in the lab, with {@code environment} (VAR=value) set; it prints its result on stdout. */
    private static ExternalTool.Result run(
            NetworkNamespace lab, ExternalTool query, List<String> environment, String... args) {
        String[] command = new String[2 + environment.size() + args.length];
        command[0] = "env";
        for (int i = 0; i < environment.size(); i++) {
            command[1 + i] = environment.get(i);
        }
        command[1 + environment.size()] = query.path();
        System.arraycopy(args, 0, command, 2 + environment.size(), args.length);
        ExternalTool.Result result = lab.run(command);
        assertThat(result.exitCode())
                .as("%s%n%s", Arrays.toString(command), result.stderr())
                .isZero();
        return result;
    }

    private static String result(ExternalTool.Result query) {
        Matcher matcher = RESULT.matcher(query.stdout());
        assertThat(matcher.find())
                .as("mta-sts-query printed: %s%n%s", query.stdout(), query.stderr())
                .isTrue();
        return matcher.group(1);
    }

    private static long policyFetches(String log) {
        return log.lines()
                .filter(line -> line.contains("\"GET /.well-known/mta-sts.txt "))
                .count();
    }

    /** The id of the domain's _mta-sts TXT record in the generated zone fragment. */
    private static String txtId(Path generated, String domain) throws Exception {
        String fragment = Files.readString(generated.resolve(domain + ".zone"), StandardCharsets.UTF_8);
        Matcher id = Pattern.compile(
                        "^_mta-sts\\." + Pattern.quote(domain) + "\\.\\s.*\"v=STSv1; id=(\\w+)\"$", Pattern.MULTILINE)
                .matcher(fragment);
        assertThat(id.find()).as(fragment).isTrue();
        return id.group(1);
    }

    /** A whole zone: SOA, NS, the policy host's address, then what generate wrote for the zone. */
    private static Path zoneFile(Path dir, String zone, Path generated) throws Exception {
        String head = """
                $ORIGIN %1$s.
                $TTL 300
                @        IN SOA ns.%1$s. hostmaster.%1$s. 1 3600 600 86400 300
                @        IN NS  ns.%1$s.
                ns       IN A   127.0.0.1
                mta-sts  IN A   127.0.0.1
                """.formatted(zone);
        Path file = dir.resolve(zone + ".zone");
        Files.writeString(
                file,
                head + Files.readString(generated.resolve(zone + ".zone"), StandardCharsets.UTF_8),
                StandardCharsets.UTF_8);
        return file;
    }

    /**
     * example.com as in examples/provider.yaml; example.net in testing mode and, on purpose, with
     * the certificate and key of mta-sts.example.com.
     */
    private static String config(Path certs) {
        return """
                zones:
                  example.com: {}
                  example.net: {}
                domains:
                  - name: example.com
                    mx:
                      - host: mx1.example.com
                        cert: %1$s/mx1.example.com/fullchain.pem
                      - host: mx2.example.com
                        cert: %1$s/mx2.example.com/fullchain.pem
                    mta_sts:
                      mode: enforce
                      max_age: 604800
                      mx: [mx1.example.com, mx2.example.com]
                      cert: %1$s/mta-sts.example.com/fullchain.pem
                      key: %1$s/mta-sts.example.com/privkey.pem
                  - name: example.net
                    mx:
                      - host: mx1.example.com
                        cert: %1$s/mx1.example.com/fullchain.pem
                    mta_sts:
                      mode: testing
                      max_age: 86400
                      mx: ["*.example.com"]
                      cert: %1$s/mta-sts.example.com/fullchain.pem
                      key: %1$s/mta-sts.example.com/privkey.pem
                """.formatted(certs);
    }
}
