package org.mxpolicy.zone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.Launcher;

/**
 * The fragments {@code mxpolicy generate} writes for the shipped examples, placed in the example
 * base zones (SOA, NS, MX, addresses), must load in BIND's and Knot's zone checkers, and their
 * TLSA records must carry the digests openssl computes from the same certificates and keys.
 */
class GeneratedZonesIT {

    private static final Path CERTS = Path.of("examples/certs");

    @TempDir
    Path dir;

    private Path fullZone(String zone) throws Exception {
        Path fragments = dir.resolve("fragments");
        Launcher.run("generate", "-c", "examples/provider.yaml", "-o", fragments.toString(), "--mkdir")
                .assertSuccess();
        String base = Files.readString(Path.of("examples/zones/" + zone + ".zone"), StandardCharsets.UTF_8);
        String fragment = Files.readString(fragments.resolve(zone + ".zone"), StandardCharsets.UTF_8);
        Path full = dir.resolve(zone + ".zone");
        Files.writeString(full, base + "\n" + fragment, StandardCharsets.UTF_8);
        return full;
    }

    @Test
    void fragmentsInTheBaseZonesPassNamedCheckzone() throws Exception {
        ExternalTool checker = ExternalTool.require("named-checkzone");
        for (String zone : new String[] {"example.com", "example.net"}) {
            // -k fail: names that are not valid host names where one is required fail the check.
            ExternalTool.Result result = checker.run(
                    "-k",
                    "fail",
                    "-n",
                    "fail",
                    "-i",
                    "local",
                    zone,
                    fullZone(zone).toString());

            assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
            assertThat(result.stdout()).contains("OK");
        }
    }

    @Test
    void fragmentsInTheBaseZonesPassKzonecheck() throws Exception {
        ExternalTool checker = ExternalTool.require("kzonecheck");
        for (String zone : new String[] {"example.com", "example.net"}) {
            ExternalTool.Result result = checker.run("-o", zone, fullZone(zone).toString());

            assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
        }
    }

    @Test
    void tlsaRecordsCarryTheDigestsOpensslComputes() throws Exception {
        String zone = Files.readString(fullZone("example.com"));
        for (String mx : new String[] {"mx1.example.com", "mx2.example.com"}) {
            Path host = CERTS.resolve(mx);
            String owner = "_25._tcp." + mx + ".";
            assertThat(zone).containsPattern(tlsaLine(owner, 3, spkiOfCertificate(host.resolve("cert.pem"))));
            assertThat(zone).containsPattern(tlsaLine(owner, 3, spkiOfKey(host.resolve("next.key"))));
            assertThat(zone).containsPattern(tlsaLine(owner, 2, spkiOfCertificate(host.resolve("chain.pem"))));
        }
        assertThat(zone)
                .containsPattern(tlsaLine(
                        "_25._tcp.mx1.example.com.", 2, spkiOfCertificate(CERTS.resolve("ca/issuing-ca-2.pem"))));
    }

    private static String tlsaLine(String owner, int usage, String hex) {
        return "(?m)^" + java.util.regex.Pattern.quote(owner) + "\\s+600\\s+IN\\s+TLSA\\s+" + usage + " 1 1 " + hex
                + "$";
    }

    private static String spkiOfCertificate(Path cert) {
        return sha256("openssl x509 -in '" + cert
                + "' -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r");
    }

    private static String spkiOfKey(Path key) {
        return sha256("openssl pkey -in '" + key + "' -pubout -outform DER | openssl dgst -sha256 -r");
    }

    private static String sha256(String pipeline) {
        ExternalTool.require("openssl");
        String out = ExternalTool.require("sh")
                .run("-c", "set -e; " + pipeline)
                .assertSuccess()
                .stdout();
        String hex = out.trim().split("\\s+")[0];
        assertThat(hex).matches("[0-9a-f]{64}");
        return hex;
    }
}
