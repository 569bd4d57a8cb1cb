package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.record.TlsaRecord;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.KnotAuthority;
import org.mxpolicy.testing.LabResources;
import org.mxpolicy.testing.Launcher;
import org.mxpolicy.testing.NetworkNamespace;
import org.mxpolicy.testing.PostfixServer;
import org.xbill.DNS.Name;

/**
 * {@code mxpolicy audit} in a network namespace: Knot signs and serves {@code example.test}, whose
 * MX is a Postfix on 127.0.0.1:25 configured within the TR-03116-4 profile, and
 * {@code down.example.test}, whose MX address has nothing listening. The audit finds the MX through
 * its own validating lookup, scans port 25 with STARTTLS and judges it, with its TLSA record and
 * TLS-RPT policy; the exit codes follow
 * {@code check}'s. Needs root (skipped otherwise, failed under CI).
 */
class AuditLabIT {

    private static final Name ZONE = Name.fromConstantString("example.test.");
    private static final int KNOT_PORT = 5300;
    private static final Path CERTS = Path.of("examples/certs");

    @TempDir
    Path dir;

    @Test
    void theMxOfEachDomainIsScannedAndJudged() throws Exception {
        X509Certificate leaf;
        try (InputStream in = Files.newInputStream(CERTS.resolve("mx1.example.com/fullchain.pem"))) {
            leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        Path zoneFile = dir.resolve("example.test.zone");
        // DANE and TLS-RPT in order; no MTA-STS, which TR-03108 only recommends (07-R).
        Files.writeString(zoneFile, """
                $ORIGIN example.test.
                $TTL 300
                @        IN SOA ns1 hostmaster 1 3600 600 86400 300
                @        IN NS  ns1
                @        IN MX  10 mx1
                ns1      IN A   127.0.0.1
                mx1      IN A   127.0.0.1
                _25._tcp.mx1 IN TLSA %s
                _smtp._tls   IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@down.example.test"
                down     IN MX  10 mx.down
                mx.down  IN A   127.0.0.2
                """.formatted(TlsaRecord.of(3, 1, 1, leaf).presentation()));
        Path openssl = dir.resolve("openssl.cnf");
        Files.writeString(
                openssl,
                "mxpolicy = mxpolicy_settings\n[mxpolicy_settings]\nssl_conf = ssl_section\n"
                        + "[ssl_section]\nsystem_default = tls_defaults\n[tls_defaults]\n"
                        + "Ciphersuites = TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256\n"
                        + "SignatureAlgorithms = ecdsa_secp256r1_sha256:ecdsa_secp384r1_sha384\n",
                StandardCharsets.UTF_8);
        String secret = Base64.getEncoder()
                .encodeToString("audit-lab-tsig-secret-0123456789".getBytes(StandardCharsets.US_ASCII));

        try (LabResources started = new LabResources()) {
            NetworkNamespace lab = started.open(NetworkNamespace.create("mxaudit"));
            KnotAuthority knot = started.open(KnotAuthority.signing(
                    lab, dir, KNOT_PORT, ZONE, zoneFile, Name.fromConstantString("audit-lab."), secret));
            started.open(PostfixServer.builder("mx1.example.test")
                    .in(lab, 25)
                    .certificate(
                            CERTS.resolve("mx1.example.com/privkey.pem"),
                            CERTS.resolve("mx1.example.com/fullchain.pem"))
                    .set("smtpd_tls_protocols", ">=TLSv1.2")
                    .set("smtpd_tls_ciphers", "high")
                    .set("tls_high_cipherlist", "ECDHE+AESGCM")
                    .set("tls_preempt_cipherlist", "yes")
                    .set("tls_eecdh_auto_curves", "prime256v1 secp384r1")
                    .set("tls_config_file", openssl.toString())
                    .set("tls_config_name", "mxpolicy")
                    .start());
            String anchor = knot.ds(ZONE).get(0).toString();
            String[] common = {
                "--resolver",
                "127.0.0.1:" + KNOT_PORT,
                "--trust-anchor",
                anchor,
                "--timeout",
                "3s",
                "--ehlo",
                "audit.example.test"
            };

            ExternalTool.Result conforming =
                    Launcher.runIn(lab, concat(new String[] {"audit"}, common, "example.test"));

            assertThat(conforming.exitCode())
                    .as(conforming.stdout() + conforming.stderr())
                    .isEqualTo(1);
            assertThat(conforming.stdout())
                    .contains("rules: TR-03116-4 (Stand 2022, 2022-01-24)")
                    .contains("10 mx1.example.test. (DNSSEC SECURE)")
                    .contains("MX 10 mx1.example.test")
                    .contains("127.0.0.1 port 25: TLSv1.3, TLSv1.2")
                    .containsPattern("03-M +pass +tls.within-profile")
                    .containsPattern("03-M +pass +tls.priority +TR-03108 4.3.2")
                    .containsPattern("12-R +pass +cert.key-size +TR-03116-4 2.2.2 +EC 256, EC 256")
                    .containsPattern("TR-03108-05-M  pass +4 checks pass")
                    .containsPattern("TR-03108-07-R  fail +example.test: mta-sts.txt: no v=STSv1 TXT record")
                    .containsPattern("TR-03108-10-M  pass +2 checks pass")
                    .contains("1 domain, 1 MX address: 1 fail, 0 warn, 0 unknown; WARNING");

            ExternalTool.Result both = Launcher.runIn(
                    lab,
                    concat(new String[] {"audit", "--format", "json"}, common, "example.test", "down.example.test"));

            // down.example.test has neither TLSA records nor a TLS-RPT policy: its failed MUST
            // requirements outrank the address that did not answer.
            assertThat(both.exitCode()).as(both.stdout() + both.stderr()).isEqualTo(2);
            JsonNode report = new ObjectMapper().readTree(both.stdout());
            assertThat(report.path("status").asText()).isEqualTo("CRITICAL");
            JsonNode downTable = report.path("domains").get(1).path("requirements");
            assertThat(downTable.get(2).path("requirement").asText()).isEqualTo("03-M");
            assertThat(downTable.get(2).path("verdict").asText()).isEqualTo("unknown");
            JsonNode down = report.path("domains")
                    .get(1)
                    .path("mx")
                    .get(0)
                    .path("addresses")
                    .get(0);
            assertThat(down.path("address").asText()).isEqualTo("127.0.0.2");
            assertThat(down.path("findings").get(0).path("verdict").asText()).isEqualTo("unknown");
            assertThat(down.path("findings").get(0).path("evidence").asText()).startsWith("no connection");
            JsonNode up = report.path("domains")
                    .get(0)
                    .path("mx")
                    .get(0)
                    .path("addresses")
                    .get(0);
            assertThat(up.path("versions").get(1).path("suites").toString())
                    .isEqualTo(
                            "[\"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\",\"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\"]");
            assertThat(up.path("chain").get(0).path("key").asText()).isEqualTo("EC 256");
        }
    }

    private static String[] concat(String[] first, String[] second, String... rest) {
        String[] all = new String[first.length + second.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        System.arraycopy(rest, 0, all, first.length + second.length, rest.length);
        return all;
    }
}
