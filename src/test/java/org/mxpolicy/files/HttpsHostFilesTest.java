package org.mxpolicy.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.server.HostCertificate;
import org.mxpolicy.server.PolicyService;
import org.mxpolicy.testing.LabFiles;

/** A reload reads again what changed, and only that. */
class HttpsHostFilesTest {

    private static final InMemoryPki.Issuer CA =
            InMemoryPki.intermediateCa("Reload CA", InMemoryPki.rootCa("Reload Root"));

    @TempDir
    Path dir;

    private Map<String, HostCertificate> byHost(PolicyService.Loaded loaded) {
        return loaded.hosts().stream()
                .map(PolicyService.Candidate::certificate)
                .collect(Collectors.toMap(HostCertificate::host, c -> c));
    }

    @Test
    void aRenewedCertificateIsReadAgainAndTheOthersAreNot() throws Exception {
        Path mx = Path.of("examples/certs/mx1.example.com/fullchain.pem").toAbsolutePath();
        LabFiles.serverKeyAndChain(dir, "a", "mta-sts.a.example", CA);
        LabFiles.serverKeyAndChain(dir, "b", "mta-sts.b.example", CA);
        Path config = dir.resolve("provider.yaml");
        Files.writeString(config, """
                zones: { example.com: {}, a.example: {}, b.example: {} }
                mx_hosts: [ { host: mx1.example.com, cert: %s } ]
                profiles:
                  hosted:
                    mx: [mx1.example.com]
                    mta_sts: { mode: enforce, mx: [mx1.example.com], cert: "{domain}.pem", key: "{domain}.key" }
                domains: [ { name: a.example, profile: hosted }, { name: b.example, profile: hosted } ]
                """.formatted(mx));
        Files.move(dir.resolve("a.pem"), dir.resolve("a.example.pem"));
        Files.move(dir.resolve("a.key"), dir.resolve("a.example.key"));
        Files.move(dir.resolve("b.pem"), dir.resolve("b.example.pem"));
        Files.move(dir.resolve("b.key"), dir.resolve("b.example.key"));
        HttpsHostFiles files = new HttpsHostFiles(config, Clock.systemUTC());

        Map<String, HostCertificate> first = byHost(files.load());
        Map<String, HostCertificate> unchanged = byHost(files.load());
        LabFiles.serverKeyAndChain(dir, "b.example", "mta-sts.b.example", CA);
        Map<String, HostCertificate> renewed = byHost(files.load());

        assertThat(unchanged.get("mta-sts.a.example").chain())
                .isSameAs(first.get("mta-sts.a.example").chain());
        assertThat(unchanged.get("mta-sts.b.example").key())
                .isSameAs(first.get("mta-sts.b.example").key());
        assertThat(renewed.get("mta-sts.a.example").chain())
                .isSameAs(first.get("mta-sts.a.example").chain());
        assertThat(renewed.get("mta-sts.b.example").chain().leaf())
                .isNotEqualTo(first.get("mta-sts.b.example").chain().leaf());
        assertThat(renewed.get("mta-sts.b.example").key())
                .isNotEqualTo(first.get("mta-sts.b.example").key());
        assertThat(renewed.get("mta-sts.b.example")
                        .chain()
                        .leaf()
                        .getPublicKey()
                        .getEncoded())
                .isNotEqualTo(first.get("mta-sts.b.example")
                        .chain()
                        .leaf()
                        .getPublicKey()
                        .getEncoded());
    }
}
