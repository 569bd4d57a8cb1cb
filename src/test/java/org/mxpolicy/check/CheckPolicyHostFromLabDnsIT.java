package org.mxpolicy.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.testing.BackgroundProcess;
import org.mxpolicy.testing.Cli;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.KnotAuthority;
import org.mxpolicy.testing.LabFiles;
import org.mxpolicy.testing.LabResources;
import org.mxpolicy.testing.Launcher;
import org.mxpolicy.testing.NetworkNamespace;
import org.xbill.DNS.Name;

/**
 * {@code check} in a split-horizon setup: {@code mta-sts.example.test} exists only in the lab's
 * DNS (Knot, named in {@code dns.resolvers}), not for the system resolver, whose resolv.conf
 * points where nothing answers. The check finds the policy host through the configured,
 * validating resolver and fetches the policy from {@code mxpolicy serve} on 127.0.0.1:443, with
 * no {@code --connect} for it. Needs root (skipped otherwise, failed under CI).
 */
class CheckPolicyHostFromLabDnsIT {

    private static final Name ZONE = Name.fromConstantString("example.test.");
    private static final Name TSIG_NAME = Name.fromConstantString("mxpolicy-update.");
    private static final int KNOT_PORT = 5300;
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);
    private static final InMemoryPki.Issuer ROOT = InMemoryPki.rootCa("Split Horizon Root");
    private static final InMemoryPki.Issuer CA = InMemoryPki.intermediateCa("Split Horizon CA", ROOT);

    @TempDir
    Path dir;

    @Test
    void thePolicyHostIsFoundThroughTheConfiguredResolver() throws Exception {
        LabFiles.serverKeyAndChain(dir, "mx1", "mx1.example.test", CA);
        LabFiles.serverKeyAndChain(dir, "mta-sts", "mta-sts.example.test", CA);
        Files.writeString(dir.resolve("ca.pem"), InMemoryPki.pem(ROOT.certificate()));
        writeConfig("");
        Path zoneFile = dir.resolve("example.test.zone");
        Files.writeString(zoneFile, """
                $ORIGIN example.test.
                $TTL 300
                @        IN SOA ns1 hostmaster 1 3600 600 86400 300
                @        IN NS  ns1
                @        IN MX  10 mx1
                ns1      IN A   127.0.0.1
                mx1      IN A   127.0.0.1
                mta-sts  IN A   127.0.0.1
                """ + generated("_mta-sts.example.test.") + "\n");
        String secret = Base64.getEncoder()
                .encodeToString("split-horizon-tsig-secret-012345".getBytes(StandardCharsets.US_ASCII));

        try (LabResources started = new LabResources()) {
            NetworkNamespace lab = started.open(NetworkNamespace.create("mxsplit"));
            // the system resolver of the namespace: an address where nothing answers
            lab.useResolver("127.0.0.9");
            KnotAuthority knot =
                    started.open(KnotAuthority.signing(lab, dir, KNOT_PORT, ZONE, zoneFile, TSIG_NAME, secret));
            writeConfig(knot.ds(ZONE).get(0).toString());
            BackgroundProcess serve = started.open(lab.start(
                    "mxpolicy serve",
                    dir.resolve("serve.log"),
                    Map.of(),
                    Launcher.path(),
                    "serve",
                    "-c",
                    dir.resolve("provider.yaml").toString(),
                    "--listen",
                    "127.0.0.1:443",
                    "--admin",
                    "127.0.0.1:8461"));
            lab.awaitTcpListener(443, serve, STARTUP_LIMIT);
            assertThat(lab.run("getent", "hosts", "mta-sts.example.test").exitCode())
                    .as("the system resolver must not know the policy host")
                    .isNotZero();

            ExternalTool.Result run = Launcher.runIn(
                    lab,
                    "check",
                    "-c",
                    dir.resolve("provider.yaml").toString(),
                    "--ca-file",
                    dir.resolve("ca.pem").toString(),
                    "--timeout",
                    "3s");

            assertThat(run.stdout())
                    .as(run.stdout() + run.stderr())
                    .contains("[mta-sts.ok]")
                    .doesNotContain("[mta-sts.fetch]")
                    .doesNotContain("[mta-sts.address-lookup]");
            assertThat(serve.log())
                    .contains("\"GET /.well-known/mta-sts.txt HTTP/1.1\" 200")
                    .contains("\"mta-sts.example.test\"");
        }
    }

    /** The line {@code mxpolicy generate} writes for {@code owner}. */
    private String generated(String owner) {
        Cli.Run run = Cli.run("generate", "-c", dir.resolve("provider.yaml").toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        return run.stdout()
                .lines()
                .filter(l -> l.startsWith(owner))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + owner + " in:\n" + run.stdout()));
    }

    private void writeConfig(String ds) throws Exception {
        Files.writeString(dir.resolve("provider.yaml"), """
                zones:
                  example.test:
                    ttl: 300
                    nameservers: [ "127.0.0.1:%1$d" ]
                dns:
                  resolvers: [ "127.0.0.1:%1$d" ]
                %2$s
                domains:
                  - name: example.test
                    mx:
                      - host: mx1.example.test
                        cert: mx1.pem
                    mta_sts:
                      mode: enforce
                      mx: [ mx1.example.test ]
                      cert: mta-sts.pem
                      key: mta-sts.key
                """.formatted(
                        KNOT_PORT, ds.isEmpty() ? "" : "  trust_anchors: [ \"" + ds + "\" ]"));
    }
}
