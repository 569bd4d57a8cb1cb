package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.record.TlsaRecord;
import org.mxpolicy.testing.BoundedPoll;
import org.mxpolicy.testing.CertbotLineageFixture;
import org.mxpolicy.testing.Cli;
import org.mxpolicy.testing.KnotServer;
import org.mxpolicy.testing.LabFiles;
import org.mxpolicy.testing.PostfixServer;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

/**
 * The certificate-renewal workflow end to end on loopback: Knot DNS signing the zone and taking
 * TSIG-signed updates, Postfix presenting the certificate of a certbot-shaped lineage
 * ({@code live/} links into {@code archive/}), and {@code renew-hook} run after each renewal as
 * certbot runs it. A TLSA TTL of one second keeps the rollover gate (twice the TTL plus a zero
 * margin) short. The steps build on each other and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloverIT {

    private static final Name ZONE = Name.fromConstantString("example.test.");
    private static final Name TSIG_NAME = Name.fromConstantString("mxpolicy-update.");
    private static final Name TLSA_OWNER = Name.fromConstantString("_25._tcp.mx1.example.test.");
    private static final String MX = "mx1.example.test";
    private static final InMemoryPki.Issuer ROOT = InMemoryPki.rootCa("Rollover Root");
    private static final InMemoryPki.Issuer CA = InMemoryPki.intermediateCa("Rollover CA", ROOT);

    @TempDir
    static Path dir;

    private static KnotServer knot;
    private static PostfixServer postfix;
    private static CertbotLineageFixture lineage;
    private static KeyPair firstKey;

    @BeforeAll
    static void lab() throws Exception {
        String secret = Base64.getEncoder().encodeToString("rollover-lab-tsig-secret-0123456".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(dir.resolve("example.test.zone"), """
                $ORIGIN example.test.
                $TTL 60
                @        IN SOA ns1 hostmaster 1 3600 600 86400 1
                @        IN NS  ns1
                @        IN MX  10 mx1
                ns1      IN A   127.0.0.1
                mx1      IN A   127.0.0.1
                """);
        knot = KnotServer.signing(dir, ZONE, dir.resolve("example.test.zone"), TSIG_NAME, secret);
        LabFiles.tsigKey(dir.resolve("update.tsig"), TSIG_NAME, secret);

        lineage = CertbotLineageFixture.create(dir.resolve("letsencrypt"), MX);
        firstKey = InMemoryPki.ec("secp256r1");
        lineage.renew(firstKey, chain(firstKey));
        postfix = PostfixServer.builder(MX).certificate(live("privkey"), live("fullchain")).start();
        Path reload = dir.resolve("reload-mta.sh");
        Files.writeString(reload, "#!/bin/sh\nset -e\n" + postfix.reloadCommand(live("privkey"), live("fullchain")) + "\n");
        Files.setPosixFilePermissions(reload, PosixFilePermissions.fromString("rwx------"));

        String ds = knot.ds(ZONE).get(0).toString();
        Files.writeString(dir.resolve("provider.yaml"), """
                zones:
                  example.test:
                    ttl: 60
                    nameservers: [ "127.0.0.1:%1$d" ]
                    update: { server: "127.0.0.1:%1$d", key: update.tsig }
                dns:
                  resolvers: [ "127.0.0.1:%1$d" ]
                  trust_anchors: [ "%2$s" ]
                rollover:
                  state_dir: state
                  margin: 0s
                  on_unknown_key: restore
                  mta_reload: %3$s
                domains:
                  - name: example.test
                    mx:
                      - host: mx1.example.test
                        cert: letsencrypt/live/mx1.example.test/fullchain.pem
                        tlsa: { ttl: 1, issuer: false }
                """.formatted(knot.port(), ds, reload));
        Cli.Run first = Cli.run("publish", "-c", config(), "--apply", "--wait", "60s");
        assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();
    }

    @AfterAll
    static void stop() {
        if (postfix != null) {
            postfix.close();
        }
        if (knot != null) {
            knot.close();
        }
    }

    @Test
    @Order(1)
    void aRenewalWithTheSameKeyPublishesNothingNewAndReloadsTheMta() throws Exception {
        lineage.renew(firstKey, chain(firstKey));

        Cli.Run hook = hook();

        assertThat(hook.exitCode()).as(hook.stdout() + hook.stderr()).isZero();
        assertThat(hook.stderr()).contains("ran '" + dir.resolve("reload-mta.sh"));
        assertThat(publishedKeys()).containsExactly(tlsa(firstKey.getPublic()));
        assertCheckOk();
    }

    @Test
    @Order(2)
    void aPlannedRolloverSwitchesToTheAgedNextKeyAndRetiresTheOldRecord() throws Exception {
        Cli.Run prepare = rollover("prepare", "--mx", MX);
        assertThat(prepare.exitCode()).as(prepare.stdout() + prepare.stderr()).isZero();
        Path csr = dir.resolve("state").resolve(MX).resolve("next.csr");
        KeyPair next = new KeyPair(csrPublicKey(csr), stagedPrivateKey());
        assertThat(publishedKeys()).containsExactlyInAnyOrder(tlsa(firstKey.getPublic()), tlsa(next.getPublic()));

        // the gate: served everywhere for 2 x 1 s TTL, margin 0
        BoundedPoll.await("the next key's gate to open", Duration.ofSeconds(30), () -> {
            Cli.Run status = rollover("status", "--mx", MX);
            return status.stdout().contains("READY") || status.stdout().toLowerCase().contains("ready") ? null : status.stdout();
        }, () -> "");

        lineage.renew(next, chain(next));
        Cli.Run hook = hook();

        assertThat(hook.exitCode()).as(hook.stdout() + hook.stderr()).isZero();
        assertThat(hook.stderr()).contains("ran '");
        // the MX now presents the next key; a new next key is staged and published; the first key's record is gone
        BoundedPoll.await("the old record to go", Duration.ofSeconds(60), () -> {
            List<String> keys = publishedKeys();
            if (keys.contains(tlsa(firstKey.getPublic()))) {
                Cli.Run run = rollover("run");
                return "still published; rollover run: " + run.stdout() + run.stderr();
            }
            return null;
        }, () -> "");
        List<String> keys = publishedKeys();
        assertThat(keys).contains(tlsa(next.getPublic())).hasSize(2).doesNotContain(tlsa(firstKey.getPublic()));
        assertCheckOk();
        firstKey = next;
    }

    @Test
    @Order(3)
    void aRenewalWithAnUnknownKeyIsUndoneAndTheMtaIsNotReloaded() throws Exception {
        int before = lineage.liveVersion("cert");
        KeyPair stranger = InMemoryPki.ec("secp256r1");
        lineage.renew(stranger, chain(stranger));

        Cli.Run hook = hook();

        assertThat(hook.exitCode()).as(hook.stdout() + hook.stderr()).isEqualTo(1);
        assertThat(hook.stderr()).contains("[renew.restored]").contains("the MTA is not reloaded")
                .doesNotContain("ran '").doesNotContain("Exception");
        assertThat(lineage.liveVersion("cert")).isEqualTo(before);
        assertThat(publishedKeys()).doesNotContain(tlsa(stranger.getPublic()));
        assertCheckOk();
    }

    // ------------------------------------------------------------------ lab

    private static Cli.Run hook() {
        return Cli.run("renew-hook", "-c", config(), "--lineage", lineage.live().toString(), "--wait", "60s",
                "--connect", MX + ":25=127.0.0.1:" + postfix.port());
    }

    private static Cli.Run rollover(String... args) {
        List<String> all = new ArrayList<>(List.of("rollover", args[0], "-c", config(), "--wait", "60s",
                "--connect", MX + ":25=127.0.0.1:" + postfix.port()));
        all.addAll(List.of(args).subList(1, args.length));
        return Cli.run(all.toArray(String[]::new));
    }

    private static void assertCheckOk() {
        Cli.Run check = Cli.run("check", "-c", config(), "--connect", MX + ":25=127.0.0.1:" + postfix.port(),
                "--rrsig-warning", "1h", "--rrsig-critical", "10m", "--cert-warning", "1d", "--cert-critical", "1h");
        assertThat(check.exitCode()).as(check.stdout() + check.stderr()).isZero();
        assertThat(check.stdout()).contains("[dane.verified]");
    }

    /** The data of the usage-3 records Knot serves for the MX. */
    private static List<String> publishedKeys() throws IOException {
        Message response = knot.resolver().send(Message.newQuery(Record.newRecord(TLSA_OWNER, Type.TLSA, DClass.IN)));
        List<String> keys = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof TLSARecord t && t.getCertificateUsage() == 3) {
                keys.add(java.util.HexFormat.of().formatHex(t.getCertificateAssociationData()));
            }
        }
        return keys;
    }

    private static String tlsa(PublicKey key) throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
        return java.util.HexFormat.of().formatHex(new TlsaRecord(3, 1, 1, digest).data());
    }

    private static List<X509Certificate> chain(KeyPair key) {
        return List.of(InMemoryPki.issued(key, MX, CA, false, MX), CA.certificate());
    }

    private static Path live(String kind) {
        return lineage.live().resolve(kind + ".pem");
    }

    private static String config() {
        return dir.resolve("provider.yaml").toString();
    }

    private static PublicKey csrPublicKey(Path csr) throws Exception {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(csr)))) {
            PKCS10CertificationRequest request = (PKCS10CertificationRequest) parser.readObject();
            return new JcaPEMKeyConverter().getPublicKey(request.getSubjectPublicKeyInfo());
        }
    }

    private static PrivateKey stagedPrivateKey() throws Exception {
        String pem = Files.readString(dir.resolve("state").resolve(MX).resolve("next.key"));
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }
}
