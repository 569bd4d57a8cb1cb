package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.testing.BoundedPoll;
import org.mxpolicy.testing.Cli;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.KnotAuthority;
import org.mxpolicy.testing.LabFiles;
import org.mxpolicy.testing.LabResources;
import org.mxpolicy.testing.Launcher;
import org.mxpolicy.testing.NetworkNamespace;
import org.mxpolicy.testing.PostfixServer;
import org.mxpolicy.testing.UnboundResolver;
import org.xbill.DNS.Name;

/**
 * The transparency report from a real Postfix log. In a network namespace, Knot signs
 * {@code lab.test}, where three partner domains have their MX: {@code dane.lab.test} (Postfix on
 * 127.0.0.2:25 within TR-03116-4, with a TLSA 3 1 1 record for its key), {@code tls.lab.test}
 * (the same on 127.0.0.3, no TLSA) and {@code plain.lab.test} (Postfix on 127.0.0.4 without
 * STARTTLS). unbound validates the zone for the namespace. A sending Postfix with
 * {@code smtp_tls_security_level = dane} and {@code smtp_tls_loglevel = 1} delivers one mail to
 * all three and logs through {@code maillog_file}; the report read from that log, and with the
 * partners audited live as well, must find that only the DANE partner meets the guideline. Needs
 * root (skipped otherwise, failed under CI).
 */
class TransparencyLabIT {

    private static final Name ZONE = Name.fromConstantString("lab.test.");
    private static final int KNOT_PORT = 5300;
    private static final int SUBMISSION_PORT = 2525;
    private static final InMemoryPki.Issuer ROOT = InMemoryPki.rootCa("Lab Root");
    private static final InMemoryPki.Issuer CA = InMemoryPki.intermediateCa("Lab CA", ROOT);

    @TempDir
    Path dir;

    @Test
    void onlyThePartnerWithDaneMeetsTheGuidelineByItsLogAndByAudit() throws Exception {
        ExternalTool.require("openssl");
        LabFiles.serverKeyAndChain(dir, "mx-dane", "mx.dane.lab.test", CA);
        LabFiles.serverKeyAndChain(dir, "mx-tls", "mx.tls.lab.test", CA);
        Path zoneFile = dir.resolve("lab.test.zone");
        Files.writeString(zoneFile, """
                $ORIGIN lab.test.
                $TTL 300
                @                 IN SOA ns1 hostmaster 1 3600 600 86400 300
                @                 IN NS  ns1
                ns1               IN A   127.0.0.1
                dane              IN MX  10 mx.dane
                mx.dane           IN A   127.0.0.2
                _25._tcp.mx.dane  IN TLSA 3 1 1 %s
                tls               IN MX  10 mx.tls
                mx.tls            IN A   127.0.0.3
                plain             IN MX  10 mx.plain
                mx.plain          IN A   127.0.0.4
                """.formatted(spkiSha256(dir.resolve("mx-dane.pem"))));
        Path openssl = dir.resolve("openssl.cnf");
        Files.writeString(
                openssl,
                "mxpolicy = mxpolicy_settings\n[mxpolicy_settings]\nssl_conf = ssl_section\n"
                        + "[ssl_section]\nsystem_default = tls_defaults\n[tls_defaults]\n"
                        + "Ciphersuites = TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256\n"
                        + "SignatureAlgorithms = ecdsa_secp256r1_sha256:ecdsa_secp384r1_sha384\n",
                StandardCharsets.UTF_8);
        String secret = Base64.getEncoder()
                .encodeToString("transparency-lab-tsig-secret-012".getBytes(StandardCharsets.US_ASCII));

        try (LabResources started = new LabResources()) {
            NetworkNamespace lab = started.open(NetworkNamespace.create("mxtransp"));
            KnotAuthority knot = started.open(KnotAuthority.signing(
                    lab, dir, KNOT_PORT, ZONE, zoneFile, Name.fromConstantString("transparency-lab."), secret));
            String ds = knot.ds(ZONE).get(0).toString();
            started.open(UnboundResolver.in(lab)
                    .stubZone("lab.test", knot.address(), knot.port())
                    .trustAnchor(ds)
                    .start(dir, "mx.dane.lab.test", "A"));
            lab.useResolver(UnboundResolver.ADDRESS);
            started.open(partner("dane", "127.0.0.2", lab, openssl).start());
            started.open(partner("tls", "127.0.0.3", lab, openssl).start());
            started.open(PostfixServer.builder("mx.plain.lab.test")
                    .in(lab, 25)
                    .listenOn("127.0.0.4")
                    .starttls(false)
                    .set("relay_domains", "plain.lab.test")
                    .set("smtpd_relay_restrictions", "reject_unauth_destination")
                    .set("relay_transport", "discard")
                    .start());
            PostfixServer sender = started.open(PostfixServer.builder("sender.lab.test")
                    .in(lab, SUBMISSION_PORT)
                    .starttls(false)
                    .service("smtp      unix  -       -       n       -       -       smtp")
                    .set("mynetworks", "127.0.0.0/8")
                    .set("smtpd_relay_restrictions", "permit_mynetworks, reject")
                    .set("smtp_tls_security_level", "dane")
                    .set("smtp_dns_support_level", "dnssec")
                    .set("smtp_tls_loglevel", "1")
                    .start());

            ExternalTool.Result submitted = lab.run(
                    ExternalTool.require("timeout").path(),
                    "30",
                    ExternalTool.require("bash").path(),
                    "-c",
                    smtpSession(
                            "alice@dane.lab.test", "bob@dane.lab.test", "carol@tls.lab.test", "dave@plain.lab.test"));
            assertThat(submitted.stdout())
                    .as(submitted.stdout() + submitted.stderr())
                    .contains("250 2.0.0 Ok: queued");
            BoundedPoll.await(
                    "four deliveries in the sender's log",
                    Duration.ofSeconds(60),
                    () -> {
                        long sent = sender.log()
                                .lines()
                                .filter(l -> l.contains("status=sent"))
                                .count();
                        return sent >= 4 ? null : sent + " sent";
                    },
                    sender::log);
            Path log = dir.resolve("mail.log");
            Files.writeString(log, sender.log(), StandardCharsets.UTF_8);
            assertThat(sender.log())
                    .contains("Verified TLS connection established to mx.dane.lab.test[127.0.0.2]:25")
                    .contains("Untrusted TLS connection established to mx.tls.lab.test[127.0.0.3]:25");

            // from the log alone, in process
            Cli.Run fromLog = Cli.run("transparency", "--log", log.toString(), "--format", "json", "--per-day");
            assertThat(fromLog.exitCode()).as(fromLog.stderr()).isZero();
            JsonNode logReport = new ObjectMapper().readTree(fromLog.stdout());
            assertThat(logReport.path("log").path("bad_lines").asLong())
                    .as("lines of Postfix's own log that were not read: %s%n%s", logReport.path("log"), sender.log())
                    .isZero();
            Map<String, JsonNode> byLog = partners(logReport);
            assertThat(byLog).containsOnlyKeys("dane.lab.test", "tls.lab.test", "plain.lab.test");
            assertVerdict(byLog.get("dane.lab.test"), "met", "met", "met");
            assertThat(byLog.get("dane.lab.test")
                            .path("deliveries")
                            .path("verified")
                            .asLong())
                    .isEqualTo(2);
            assertVerdict(byLog.get("tls.lab.test"), "not-met", "not-met", "met");
            assertThat(byLog.get("tls.lab.test")
                            .path("deliveries")
                            .path("untrusted")
                            .asLong())
                    .isEqualTo(1);
            assertVerdict(byLog.get("plain.lab.test"), "not-met", "not-met", "not-met");
            assertThat(byLog.get("plain.lab.test")
                            .path("deliveries")
                            .path("plaintext")
                            .asLong())
                    .isEqualTo(1);
            assertThat(logReport.path("per_day").get(0).path("verified").asLong())
                    .isEqualTo(2);

            // the partners audited live, in the namespace, with the log as further evidence
            Path partners = dir.resolve("partners.txt");
            Files.writeString(partners, "dane.lab.test\ntls.lab.test\nplain.lab.test\n");
            Path html = dir.resolve("report.html");
            ExternalTool.Result audited = Launcher.runIn(
                    lab,
                    "transparency",
                    "--partners",
                    partners.toString(),
                    "--log",
                    log.toString(),
                    "--resolver",
                    "127.0.0.1:" + KNOT_PORT,
                    "--trust-anchor",
                    ds,
                    "--timeout",
                    "3s",
                    "--ehlo",
                    "audit.lab.test",
                    "-o",
                    html.toString());
            assertThat(audited.exitCode())
                    .as(audited.stdout() + audited.stderr())
                    .isZero();
            assertThat(audited.stderr()).contains("1 of 3 partners meet TR-03108");
            String page = Files.readString(html, StandardCharsets.UTF_8);
            assertThat(page)
                    .contains("<strong>1 of 3</strong> partner providers meet the guideline.")
                    .containsPattern(
                            "<th scope=\"row\">dane.lab.test</th>\\s*<td><span class=\"level ok\">yes</span></td>"
                                    + "\\s*<td><span class=\"level ok\">yes</span></td>\\s*<td><span class=\"level ok\">yes</span></td>")
                    .containsPattern(
                            "<th scope=\"row\">tls.lab.test</th>\\s*<td><span class=\"level critical\">no</span></td>"
                                    + "\\s*<td><span class=\"level critical\">no</span></td>\\s*<td><span class=\"level ok\">yes</span></td>")
                    .containsPattern(
                            "<th scope=\"row\">plain.lab.test</th>\\s*<td><span class=\"level critical\">no</span></td>"
                                    + "\\s*<td><span class=\"level critical\">no</span></td>\\s*<td><span class=\"level critical\">no</span></td>")
                    .containsPattern("<dt>DANE: yes</dt><dd>[^<]*dane\\.match[^<]*; 2 deliveries authenticated"
                            + " \\(Verified\\)</dd>")
                    .contains(
                            "mx.tls.lab.test: dane.tlsa: no such name _25._tcp.mx.tls.lab.test (DNSSEC secure denial)")
                    .contains("<dt>MTA-STS: no</dt>");
        }
    }

    /** A receiving partner within TR-03116-4, as in {@code AuditLabIT}, that accepts and discards its domain's mail. */
    private PostfixServer.Builder partner(String name, String address, NetworkNamespace lab, Path openssl) {
        return PostfixServer.builder("mx." + name + ".lab.test")
                .in(lab, 25)
                .listenOn(address)
                .certificate(dir.resolve("mx-" + name + ".key"), dir.resolve("mx-" + name + ".pem"))
                .set("relay_domains", name + ".lab.test")
                .set("smtpd_relay_restrictions", "reject_unauth_destination")
                .set("relay_transport", "discard")
                .set("smtpd_tls_protocols", ">=TLSv1.2")
                .set("smtpd_tls_ciphers", "high")
                .set("tls_high_cipherlist", "ECDHE+AESGCM")
                .set("tls_preempt_cipherlist", "yes")
                .set("tls_eecdh_auto_curves", "prime256v1 secp384r1")
                .set("tls_config_file", openssl.toString())
                .set("tls_config_name", "mxpolicy");
    }

    /** A bash script that submits one mail to the sender's smtpd, answer by answer. */
    private static String smtpSession(String... recipients) {
        StringBuilder script = new StringBuilder();
        script.append("exec 3<>/dev/tcp/127.0.0.1/").append(SUBMISSION_PORT).append('\n');
        script.append("say() { [ -n \"$1\" ] && printf '%s\\r\\n' \"$1\" >&3;"
                + " while IFS= read -r line <&3; do echo \"$line\";"
                + " case \"$line\" in [0-9][0-9][0-9]-*) ;; *) break ;; esac; done; }\n");
        script.append("say ''\n");
        script.append("say 'EHLO client.lab.test'\n");
        script.append("say 'MAIL FROM:<sender@sender.lab.test>'\n");
        for (String recipient : recipients) {
            script.append("say 'RCPT TO:<").append(recipient).append(">'\n");
        }
        script.append("say 'DATA'\n");
        script.append("printf 'Subject: transparency lab\\r\\n\\r\\nhello\\r\\n' >&3\n");
        script.append("say '.'\n");
        script.append("say 'QUIT'\n");
        return script.toString();
    }

    private static String spkiSha256(Path chain) throws Exception {
        try (InputStream in = Files.newInputStream(chain)) {
            X509Certificate leaf =
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(leaf.getPublicKey().getEncoded()));
        }
    }

    private static Map<String, JsonNode> partners(JsonNode report) {
        Map<String, JsonNode> byDomain = new HashMap<>();
        report.path("partners").forEach(p -> byDomain.put(p.path("domain").asText(), p));
        return byDomain;
    }

    private static void assertVerdict(JsonNode partner, String meets, String dane, String tls) {
        assertThat(partner.path("meets").path("state").asText() + " dane="
                        + partner.path("dane").path("state").asText() + " tls="
                        + partner.path("tls").path("state").asText())
                .as(partner.toString())
                .isEqualTo(meets + " dane=" + dane + " tls=" + tls);
    }
}
