package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.record.TlsaRecord;
import org.mxpolicy.testing.BackgroundProcess;
import org.mxpolicy.testing.BoundedPoll;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.KnotAuthority;
import org.mxpolicy.testing.LabResources;
import org.mxpolicy.testing.Launcher;
import org.mxpolicy.testing.NetworkNamespace;
import org.mxpolicy.testing.PostfixServer;
import org.mxpolicy.testing.PosttlsFinger;
import org.mxpolicy.testing.UnboundResolver;
import org.xbill.DNS.Name;

/**
 * {@code mxpolicy audit --partners} against four partner providers in one network namespace, and
 * Postfix's DANE client, {@code posttls-finger -l dane}, against the same MX hosts, case by case:
 *
 * <ul>
 *   <li>{@code good.test}: signed (Knot), TLSA 3 1 1 and 2 1 1 that match, MTA-STS enforce with a
 *       policy host of its own name, TLS-RPT by mail to a domain that enforces nothing;
 *   <li>{@code broken.test}: signed, but its TLSA record is the hash of another key; TLS-RPT by
 *       HTTPS;
 *   <li>{@code stsonly.test}: unsigned, MTA-STS enforce from a policy host with a wildcard
 *       certificate, TLS-RPT to {@code good.test}, which enforces DANE;
 *   <li>{@code plain.test}: signed with a TLSA record, but its MX offers no STARTTLS.
 * </ul>
 *
 * <p>unbound on 127.0.0.1:53 validates the three signed zones from their DS records and is the
 * namespace's system resolver, which posttls-finger trusts ({@code smtp_dns_support_level =
 * dnssec}); mxpolicy asks unbound too but validates on its own from the same DS records. One
 * Postfix listens on 127.0.0.1 to .4 port 25 with a certificate per provider; {@code openssl
 * s_server -WWW} serves the two policies. Last, {@code good.test} is audited as the provider's own
 * domain ({@code -c}), with submissions and submission listeners of the same Postfix. Needs root
 * (skipped otherwise, failed under CI).
 */
class AuditPartnersIT {

    private static final InMemoryPki.Issuer ROOT = InMemoryPki.rootCa("Partner Lab Root");
    private static final InMemoryPki.Issuer CA = InMemoryPki.intermediateCa("Partner Lab CA", ROOT);
    private static final String SECRET =
            Base64.getEncoder().encodeToString("partners-lab-tsig-secret-0123456".getBytes(StandardCharsets.US_ASCII));
    private static final Duration START_LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void daneVerdictsAgreeWithPosttlsFingerAndEachRequirementIsJudged() throws Exception {
        ExternalTool openssl = ExternalTool.require("openssl");
        Map<String, X509Certificate> leaves = new LinkedHashMap<>();
        for (String host : List.of("mx.good.test", "mx.broken.test", "mx.stsonly.test", "mx.plain.test")) {
            leaves.put(host, keyAndChain(host, host));
        }
        keyAndChain("mta-sts.good.test", "mta-sts.good.test");
        keyAndChain("mta-sts.stsonly.test", "*.stsonly.test");
        Files.writeString(dir.resolve("root.pem"), InMemoryPki.pem(ROOT.certificate()));
        X509Certificate elsewhere =
                InMemoryPki.selfSigned(InMemoryPki.ec("secp256r1"), "elsewhere", false, "mx.broken.test");

        Path good = zone("good.test", """
                @            IN MX   10 mx
                mx           IN A    127.0.0.1
                _25._tcp.mx  IN TLSA %s
                _25._tcp.mx  IN TLSA %s
                _mta-sts     IN TXT  "v=STSv1; id=20260101T000000"
                mta-sts      IN A    127.0.0.11
                _smtp._tls   IN TXT  "v=TLSRPTv1; rua=mailto:tlsrpt@reports.stsonly.test"
                """.formatted(
                        TlsaRecord.of(3, 1, 1, leaves.get("mx.good.test")).presentation(),
                        TlsaRecord.of(2, 1, 1, CA.certificate()).presentation()));
        Path broken = zone(
                "broken.test", """
                @            IN MX   10 mx
                mx           IN A    127.0.0.2
                _25._tcp.mx  IN TLSA %s
                _smtp._tls   IN TXT  "v=TLSRPTv1; rua=https://reports.broken.test/tlsrpt"
                """.formatted(TlsaRecord.of(3, 1, 1, elsewhere).presentation()));
        Path stsonly = zone("stsonly.test", """
                @            IN MX   10 mx
                mx           IN A    127.0.0.3
                reports      IN A    127.0.0.3
                _mta-sts     IN TXT  "v=STSv1; id=1"
                mta-sts      IN A    127.0.0.13
                _smtp._tls   IN TXT  "v=TLSRPTv1; rua=mailto:tlsrpt@good.test"
                """);
        Path plain = zone("plain.test", """
                @            IN MX   10 mx
                mx           IN A    127.0.0.4
                _25._tcp.mx  IN TLSA %s
                """.formatted(
                        TlsaRecord.of(3, 1, 1, leaves.get("mx.plain.test")).presentation()));
        Files.createDirectories(dir.resolve("www-good/.well-known"));
        Files.writeString(
                dir.resolve("www-good/.well-known/mta-sts.txt"),
                "version: STSv1\r\nmode: enforce\r\nmx: mx.good.test\r\nmax_age: 604800\r\n");
        Files.createDirectories(dir.resolve("www-stsonly/.well-known"));
        Files.writeString(
                dir.resolve("www-stsonly/.well-known/mta-sts.txt"),
                "version: STSv1\r\nmode: enforce\r\nmx: *.stsonly.test\r\nmax_age: 86400\r\n");
        Files.writeString(
                dir.resolve("partners.txt"),
                "# partner providers of the lab\ngood.test\nbroken.test   # TLSA of another key\n\nstsonly.test\n"
                        + "plain.test\n");

        try (LabResources started = new LabResources()) {
            NetworkNamespace lab = started.open(NetworkNamespace.create("mxpartner"));
            PosttlsFinger finger = PosttlsFinger.in(lab, dir);
            List<String> anchors = new ArrayList<>();
            UnboundResolver.Builder resolver = UnboundResolver.in(lab);
            int port = 5301;
            for (var signed : Map.of("good.test", good, "broken.test", broken, "plain.test", plain)
                    .entrySet()) {
                Name zone = Name.fromConstantString(signed.getKey() + ".");
                KnotAuthority knot = started.open(KnotAuthority.signing(
                        lab, dir, port, zone, signed.getValue(), Name.fromConstantString("partners-lab."), SECRET));
                String ds = knot.ds(zone).get(0).toString();
                anchors.add(ds);
                resolver.stubZone(signed.getKey(), knot.address(), knot.port()).trustAnchor(ds);
                port++;
            }
            KnotAuthority unsigned =
                    started.open(KnotAuthority.start(lab, dir, "127.0.0.1", port, Map.of("stsonly.test", stsonly)));
            resolver.stubZone("stsonly.test", unsigned.address(), unsigned.port());
            started.open(resolver.start(dir, "mx.good.test", "A"));
            lab.useResolver(UnboundResolver.ADDRESS);

            started.open(PostfixServer.builder("mx.good.test")
                    .in(lab, 25)
                    .certificate(dir.resolve("mx.good.test.key"), dir.resolve("mx.good.test.pem"))
                    .service(listener("127.0.0.2", "mx.broken.test", true))
                    .service(listener("127.0.0.3", "mx.stsonly.test", true))
                    .service(listener("127.0.0.4", "mx.plain.test", false))
                    // good.test's own client endpoints for audit -c: submissions and submission.
                    .service("127.0.0.1:465 inet n - n - - smtpd -o smtpd_tls_wrappermode=yes"
                            + " -o smtpd_tls_security_level=encrypt")
                    .service("127.0.0.1:587 inet n - n - - smtpd -o smtpd_tls_security_level=encrypt")
                    .start());
            policyHost(started, lab, openssl, "127.0.0.11", "mta-sts.good.test", "www-good");
            policyHost(started, lab, openssl, "127.0.0.13", "mta-sts.stsonly.test", "www-stsonly");

            List<String> command = new ArrayList<>(List.of(
                    Launcher.path(),
                    "audit",
                    "--partners",
                    dir.resolve("partners.txt").toString(),
                    "--format",
                    "json",
                    "--resolver",
                    UnboundResolver.ADDRESS,
                    "--ca-file",
                    dir.resolve("root.pem").toString(),
                    "--timeout",
                    "5s",
                    "--ehlo",
                    "audit.lab.test"));
            for (String anchor : anchors) {
                command.add("--trust-anchor");
                command.add(anchor);
            }
            List<String> inLab = lab.command(command.toArray(String[]::new));
            ExternalTool.Result audit = ExternalTool.require(inLab.get(0))
                    .run(
                            Duration.ofMinutes(4),
                            null,
                            inLab.subList(1, inLab.size()).toArray(String[]::new));

            assertThat(audit.exitCode()).as(audit.stdout() + audit.stderr()).isEqualTo(2);
            JsonNode report = new ObjectMapper().readTree(audit.stdout());
            Map<String, JsonNode> domains = new LinkedHashMap<>();
            report.path("domains").forEach(d -> domains.put(d.path("domain").asText(), d));
            assertThat(domains).containsOnlyKeys("good.test", "broken.test", "stsonly.test", "plain.test");

            // DANE, case by case against posttls-finger.
            Map<String, String> expectedDane =
                    Map.of("good.test", "pass", "broken.test", "fail", "stsonly.test", "none", "plain.test", "fail");
            for (var domain : domains.entrySet()) {
                String mx = "mx." + domain.getKey();
                String fingered = finger.dane(mx, 25);
                String match = daneMatch(domain.getValue());
                assertThat(match).as("dane.match of %s", mx).isEqualTo(expectedDane.get(domain.getKey()));
                assertThat(fingered.contains("Verified TLS connection established to " + mx))
                        .as("posttls-finger about %s agrees with dane.match %s:%n%s", mx, match, fingered)
                        .isEqualTo(match.equals("pass"));
            }
            assertThat(finger.dane("mx.broken.test", 25)).contains("no matching DANE TLSA records");

            assertThat(requirements(domains.get("good.test")))
                    .containsEntry("05-M", "pass")
                    .containsEntry("07-R", "pass")
                    .containsEntry("08-R", "pass")
                    .containsEntry("10-M", "pass")
                    .containsEntry("01-M", "not_applicable");
            assertThat(evidence(domains.get("good.test"), "mta-sts.mx-certificate"))
                    .startsWith("valid for mx.good.test, issued by CN=Partner Lab CA");

            assertThat(requirements(domains.get("broken.test")))
                    .containsEntry("05-M", "fail")
                    .containsEntry("07-R", "fail")
                    .containsEntry("10-M", "fail");
            assertThat(evidence(domains.get("broken.test"), "tlsrpt.policy"))
                    .contains("https://reports.broken.test/tlsrpt (TR-03108 10-M: mailto only)");

            assertThat(requirements(domains.get("stsonly.test")))
                    .containsEntry("05-M", "fail")
                    .containsEntry("07-R", "pass")
                    .containsEntry("08-R", "fail")
                    .containsEntry("10-M", "warn");
            assertThat(evidence(domains.get("stsonly.test"), "dnssec.mx")).contains("not signed");
            assertThat(evidence(domains.get("stsonly.test"), "tlsrpt.mailbox"))
                    .contains("good.test, which enforces TLS by DANE");

            assertThat(requirements(domains.get("plain.test")))
                    .containsEntry("03-M", "fail")
                    .containsEntry("05-M", "fail")
                    .containsEntry("07-R", "fail")
                    .containsEntry("10-M", "fail");
            assertThat(evidence(domains.get("plain.test"), "dane.match")).contains("offers no TLS");

            // The same in text, the domains given on the command line.
            List<String> text = new ArrayList<>(command);
            text.set(text.indexOf("json"), "text");
            text.remove(text.indexOf("--partners") + 1);
            text.remove("--partners");
            text.add("good.test");
            text.add("stsonly.test");
            List<String> textInLab = lab.command(text.toArray(String[]::new));
            ExternalTool.Result table = ExternalTool.require(textInLab.get(0))
                    .run(
                            Duration.ofMinutes(4),
                            null,
                            textInLab.subList(1, textInLab.size()).toArray(String[]::new));
            assertThat(table.exitCode()).as(table.stdout() + table.stderr()).isEqualTo(2);
            ownDomain(lab, anchors);
            assertThat(table.stdout())
                    .containsPattern("\ngood\\.test\n  TR-03108-01-M  not applicable +client endpoints are audited")
                    .containsPattern("TR-03108-05-M  pass +4 checks pass \\(dnssec.mx, dnssec.mx-host, dane.tlsa,"
                            + " dane.match\\)")
                    .containsPattern("TR-03108-08-R  fail +stsonly.test: mta-sts.policy-host-certificate:"
                            + " mta-sts.stsonly.test presents a wildcard certificate")
                    .containsPattern(
                            "05-M  pass +dane.match +RFC 7672 3.1 +3 1 1 [0-9a-f]{16}\\.\\.\\. matches the leaf");
        }
    }

    /**
     * {@code audit -c}: good.test as the provider's own domain, its DNS settings from the config,
     * its client endpoints (Postfix on 465 and 587) and its policy host scanned and judged.
     */
    private void ownDomain(NetworkNamespace lab, List<String> anchors) throws Exception {
        Files.writeString(dir.resolve("provider.yaml"), """
                zones:
                  good.test:
                    ttl: 300
                    nameservers: [ "127.0.0.1:53" ]
                dns:
                  resolvers: [ "127.0.0.1:53" ]
                  trust_anchors: [ %s ]
                domains:
                  - name: good.test
                    mx:
                      - host: mx.good.test
                        cert: mx.good.test.pem
                    mta_sts:
                      mode: enforce
                      max_age: 604800
                      mx: [ mx.good.test ]
                      cert: mta-sts.good.test.pem
                      key: mta-sts.good.test.key
                    client_services:
                      submissions: mx.good.test:465
                      submission: mx.good.test:587
                      imaps: none
                      imap: none
                      pop3s: none
                      pop3: none
                """.formatted(String.join(
                ", ", anchors.stream().map(a -> "\"" + a + "\"").toList())));
        List<String> inLab = lab.command(
                Launcher.path(),
                "audit",
                "-c",
                dir.resolve("provider.yaml").toString(),
                "--format",
                "json",
                "--ca-file",
                dir.resolve("root.pem").toString(),
                "--timeout",
                "5s",
                "--ehlo",
                "audit.lab.test");
        ExternalTool.Result audit = ExternalTool.require(inLab.get(0))
                .run(Duration.ofMinutes(4), null, inLab.subList(1, inLab.size()).toArray(String[]::new));

        assertThat(audit.exitCode()).as(audit.stdout() + audit.stderr()).isBetween(0, 2);
        JsonNode domain =
                new ObjectMapper().readTree(audit.stdout()).path("domains").get(0);
        assertThat(domain.path("domain").asText()).isEqualTo("good.test");
        List<String> endpoints = new ArrayList<>();
        for (JsonNode endpoint : domain.path("endpoints")) {
            endpoints.add(endpoint.path("service").asText() + " "
                    + endpoint.path("endpoint").asText());
            assertThat(endpoint.path("versions").size())
                    .as("TLS versions found on %s", endpoint)
                    .isPositive();
        }
        assertThat(endpoints)
                .containsExactly(
                        "submissions mx.good.test[127.0.0.1]:465",
                        "submission mx.good.test[127.0.0.1]:587",
                        "mta-sts mta-sts.good.test[127.0.0.11]:443");
        assertThat(requirements(domain)).containsKeys("01-M", "02-R");
        assertThat(requirements(domain).get("01-M")).isNotEqualTo("not_applicable");
        assertThat(requirements(domain).get("02-R")).isNotEqualTo("not_applicable");
        assertThat(requirements(domain).get("05-M")).isEqualTo("pass");
        assertThat(evidence(domain, "client.implicit-tls"))
                .isEqualTo("implicit TLS offered: submissions mx.good.test:465");
    }

    /** The verdict of {@code dane.match} on the domain's MX address, or "none" when not judged. */
    private static String daneMatch(JsonNode domain) {
        return findingsOf(domain).stream()
                .filter(f -> f.path("check").asText().equals("dane.match"))
                .map(f -> f.path("verdict").asText())
                .findFirst()
                .orElse("none");
    }

    private static String evidence(JsonNode domain, String check) {
        return findingsOf(domain).stream()
                .filter(f -> f.path("check").asText().equals(check))
                .map(f -> f.path("evidence").asText())
                .findFirst()
                .orElse("(no " + check + ")");
    }

    /** The findings of the domain, its MX hosts and their addresses. */
    private static List<JsonNode> findingsOf(JsonNode domain) {
        List<JsonNode> all = new ArrayList<>();
        domain.path("findings").forEach(all::add);
        for (JsonNode host : domain.path("mx")) {
            host.path("findings").forEach(all::add);
            for (JsonNode address : host.path("addresses")) {
                address.path("findings").forEach(all::add);
            }
        }
        return all;
    }

    private static Map<String, String> requirements(JsonNode domain) {
        Map<String, String> rows = new LinkedHashMap<>();
        domain.path("requirements")
                .forEach(r -> rows.put(
                        r.path("requirement").asText(), r.path("verdict").asText()));
        return rows;
    }

    /** A key and chain ({@code NAME.key}, {@code NAME.pem}: leaf, then the lab CA) for {@code dnsName}. */
    private X509Certificate keyAndChain(String name, String dnsName) throws Exception {
        KeyPair key = InMemoryPki.ec("secp256r1");
        X509Certificate leaf = InMemoryPki.issued(key, dnsName, CA, false, dnsName);
        Files.writeString(dir.resolve(name + ".pem"), InMemoryPki.pem(List.of(leaf, CA.certificate())));
        Files.writeString(dir.resolve(name + ".leaf.pem"), InMemoryPki.pem(leaf));
        Files.writeString(dir.resolve(name + ".ca.pem"), InMemoryPki.pem(CA.certificate()));
        Files.writeString(
                dir.resolve(name + ".key"),
                InMemoryPki.pem("PRIVATE KEY", key.getPrivate().getEncoded()));
        return leaf;
    }

    private Path zone(String name, String records) throws Exception {
        Path file = dir.resolve(name + ".zone");
        Files.writeString(
                file,
                "$ORIGIN " + name + ".\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\n"
                        + "ns1 IN A 127.0.0.1\n" + records);
        return file;
    }

    /** A further smtpd on {@code address}:25 of the same Postfix, with the host's certificate or without TLS. */
    private String listener(String address, String host, boolean tls) {
        String options = " -o myhostname=" + host
                + (tls
                        ? " -o smtpd_tls_chain_files=" + dir.resolve(host + ".key") + "," + dir.resolve(host + ".pem")
                        : " -o smtpd_tls_security_level=none");
        return address + ":25 inet n - n - - smtpd" + options;
    }

    /** {@code openssl s_server -WWW} on {@code address}:443, serving {@code www} as {@code host}. */
    private void policyHost(
            LabResources started, NetworkNamespace lab, ExternalTool openssl, String address, String host, String www)
            throws Exception {
        BackgroundProcess server = started.open(lab.start(
                "s_server " + host,
                dir.resolve(host + ".log"),
                Map.of(),
                "sh",
                "-c",
                "cd '" + dir.resolve(www) + "' && exec " + openssl.path() + " s_server -quiet -WWW -accept "
                        + address + ":443 -cert '" + dir.resolve(host + ".leaf.pem") + "' -key '"
                        + dir.resolve(host + ".key") + "' -cert_chain '" + dir.resolve(host + ".ca.pem") + "'"));
        BoundedPoll.await(
                "s_server for " + host + " on " + address + ":443",
                START_LIMIT,
                () -> {
                    server.assertRunning();
                    ExternalTool.Result listening = lab.run("ss", "-Hltn", "src", address + ":443");
                    return listening.stdout().isBlank() ? "nothing listens" : null;
                },
                server::log);
    }
}
