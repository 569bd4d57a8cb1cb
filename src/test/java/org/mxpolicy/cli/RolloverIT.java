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
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.mxpolicy.testing.BoundedPoll;
import org.mxpolicy.testing.CertbotLineageFixture;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.KnotAuthority;
import org.mxpolicy.testing.LabFiles;
import org.mxpolicy.testing.LabResources;
import org.mxpolicy.testing.Launcher;
import org.mxpolicy.testing.NetworkNamespace;
import org.mxpolicy.testing.PostfixServer;
import org.mxpolicy.testing.PosttlsFinger;
import org.mxpolicy.testing.UnboundResolver;
import org.xbill.DNS.Name;

/**
 * The certificate-rollover workflow end to end, judged by a DANE sender: after every step
 * {@code mxpolicy check} is OK and Postfix's own DANE client, {@code posttls-finger}, verifies
 * the MX against the TLSA records it finds through a validating resolver (RFC 7672 section 2.2),
 * so no step leaves a window in which mail would be deferred (RFC 7671 section 8.1).
 *
 * <p>The lab is a network namespace of its own: Knot signs {@code example.test} and takes the
 * TSIG-signed updates mxpolicy sends; unbound on 127.0.0.1:53 validates it from Knot's DS, caches
 * it, and is both the namespace's system resolver and mxpolicy's {@code dns.resolvers}, so every
 * step's wait sees answers from a cache as operators' resolvers give them; Postfix on 127.0.0.1:25, where {@code mx1.example.test}
 * resolves, presents the certificate of a certbot-shaped lineage ({@code live/} links into
 * {@code archive/}), copied in by the configured MTA reload command. {@code bin/mxpolicy} runs in
 * the namespace as an operator runs it, finding the MX through DNS (no {@code --connect}), and
 * {@code renew-hook} runs after each renewal as certbot runs it. A TLSA TTL and negative TTL of
 * one second keep the rollover gate (twice the TTL plus a zero margin) short. The steps build on
 * each other and run in order. Needs root (skipped otherwise, failed under CI).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloverIT {

    private static final Name ZONE = Name.fromConstantString("example.test.");
    private static final Name TSIG_NAME = Name.fromConstantString("mxpolicy-update.");
    private static final String TLSA_OWNER = "_25._tcp.mx1.example.test.";
    private static final String MX = "mx1.example.test";
    private static final int KNOT_PORT = 5300;
    private static final int SMTP_PORT = 25;
    private static final Duration GATE_LIMIT = Duration.ofSeconds(30);
    private static final Duration CERTIFICATE_SWAP_LIMIT = Duration.ofSeconds(30);
    private static final Pattern USAGE_3 = Pattern.compile("\\sTLSA\\s+3 1 1 ([0-9A-Fa-f]+)\\s*$", Pattern.MULTILINE);
    private static final InMemoryPki.Issuer ROOT = InMemoryPki.rootCa("Rollover Root");
    private static final InMemoryPki.Issuer CA = InMemoryPki.intermediateCa("Rollover CA", ROOT);

    @TempDir
    static Path dir;

    /** Everything started for the lab, closed last first: the servers, then the namespace. */
    private static final LabResources started = new LabResources();

    private static NetworkNamespace lab;
    private static PostfixServer postfix;
    private static PosttlsFinger finger;
    private static CertbotLineageFixture lineage;
    /** The key the MX presents, as the steps move it on. */
    private static KeyPair currentKey;

    @BeforeAll
    static void lab() throws Exception {
        ExternalTool.require("openssl");
        String secret = Base64.getEncoder()
                .encodeToString("rollover-lab-tsig-secret-0123456".getBytes(StandardCharsets.US_ASCII));
        Path zoneFile = dir.resolve("example.test.zone");
        Files.writeString(zoneFile, """
                $ORIGIN example.test.
                $TTL 60
                @        IN SOA ns1 hostmaster 1 3600 600 86400 1
                @        IN NS  ns1
                @        IN MX  10 mx1
                ns1      IN A   127.0.0.1
                mx1      IN A   127.0.0.1
                """);
        LabFiles.tsigKey(dir.resolve("update.tsig"), TSIG_NAME, secret);

        lab = started.open(NetworkNamespace.create("mxroll"));
        finger = PosttlsFinger.in(lab, dir);
        KnotAuthority knot =
                started.open(KnotAuthority.signing(lab, dir, KNOT_PORT, ZONE, zoneFile, TSIG_NAME, secret));
        String ds = knot.ds(ZONE).get(0).toString();
        // Only the address is asked here: unbound would otherwise cache the TLSA RRset's absence.
        started.open(UnboundResolver.in(lab)
                .stubZone("example.test", knot.address(), knot.port())
                .trustAnchor(ds)
                .start(dir, MX, "A"));
        lab.useResolver(UnboundResolver.ADDRESS);

        lineage = CertbotLineageFixture.create(dir.resolve("letsencrypt"), MX);
        currentKey = InMemoryPki.ec("secp256r1");
        lineage.renew(currentKey, chain(currentKey));
        postfix = started.open(PostfixServer.builder(MX)
                .certificate(live("privkey"), live("fullchain"))
                .in(lab, SMTP_PORT)
                .start());
        // mxpolicy runs the reload command inside the namespace; postfix reload signals the
        // master through its pid file, which works from any network namespace.
        Path reload = dir.resolve("reload-mta.sh");
        Files.writeString(
                reload, "#!/bin/sh\nset -e\n" + postfix.reloadCommand(live("privkey"), live("fullchain")) + "\n");
        Files.setPosixFilePermissions(reload, PosixFilePermissions.fromString("rwx------"));

        writeConfig("provider.yaml", ds, reload, "0s");
        // The same lab as an operator with a one-hour margin sees it: a next key staged minutes
        // ago is still aging there, whatever the lab's one-second TTL allows.
        writeConfig("cautious.yaml", ds, reload, "1h");

        ExternalTool.Result first = mxpolicy("publish", "-c", config(), "--apply", "--wait", "30s");
        assertThat(first.exitCode()).as(first.stdout() + first.stderr()).isZero();
        assertThat(publishedKeys()).containsExactly(tlsa(currentKey.getPublic()));
        assertDaneVerified();
    }

    @AfterAll
    static void closeLab() throws Exception {
        started.close();
    }

    @Test
    @Order(1)
    void aRenewalWithTheSameKeyPublishesNothingNewAndReloadsTheMta() throws Exception {
        int version = lineage.renew(currentKey, chain(currentKey));

        ExternalTool.Result hook = hook();

        assertThat(hook.exitCode()).as(hook.stdout() + hook.stderr()).isZero();
        assertThat(hook.stderr()).contains("ran '" + dir.resolve("reload-mta.sh") + "'");
        assertThat(lineage.liveVersion("cert")).isEqualTo(version);
        assertThat(publishedKeys()).containsExactly(tlsa(currentKey.getPublic()));
        awaitPresentedKey(currentKey.getPublic());
        assertDaneVerified();
    }

    @Test
    @Order(2)
    void aPlannedRolloverSwitchesToTheAgedNextKeyAndRetiresTheOldRecord() throws Exception {
        ExternalTool.Result prepare = rollover("prepare", "--mx", MX);
        assertThat(prepare.exitCode()).as(prepare.stdout() + prepare.stderr()).isZero();
        KeyPair next = stagedKey();
        assertThat(publishedKeys()).containsExactlyInAnyOrder(tlsa(currentKey.getPublic()), tlsa(next.getPublic()));

        // the gate: served everywhere for 2 x 1 s TTL, margin 0
        awaitReady();
        int version = lineage.renew(next, chain(next));
        ExternalTool.Result hook = hook();

        assertThat(hook.exitCode()).as(hook.stdout() + hook.stderr()).isZero();
        assertThat(hook.stderr()).contains("ran '" + dir.resolve("reload-mta.sh") + "'");
        assertThat(lineage.liveVersion("cert")).isEqualTo(version);
        // the reload run in the namespace reached Postfix: the MX presents the next key
        awaitPresentedKey(next.getPublic());
        // a new next key is staged and published; the first key's record goes once every
        // address presents the new key (at once, or by the timer's rollover run)
        BoundedPoll.await(
                "the old record to go",
                Duration.ofSeconds(60),
                () -> {
                    if (publishedKeys().contains(tlsa(currentKey.getPublic()))) {
                        ExternalTool.Result run = rollover("run");
                        return "still published; rollover run: " + run.stdout() + run.stderr();
                    }
                    return null;
                },
                () -> "");
        KeyPair following = stagedKey();
        assertThat(following.getPublic().getEncoded())
                .isNotEqualTo(next.getPublic().getEncoded());
        assertThat(publishedKeys()).containsExactlyInAnyOrder(tlsa(next.getPublic()), tlsa(following.getPublic()));
        assertDaneVerified();
        currentKey = next;
    }

    @Test
    @Order(3)
    void aRenewalWithAnUnknownKeyIsUndoneAndTheMtaReloadsTheRestoredCertificate() throws Exception {
        int before = lineage.liveVersion("cert");
        List<String> published = publishedKeys();
        KeyPair stranger = InMemoryPki.ec("secp256r1");
        lineage.renew(stranger, chain(stranger));

        ExternalTool.Result hook = hook();

        assertThat(hook.exitCode()).as(hook.stdout() + hook.stderr()).isEqualTo(1);
        assertThat(hook.stderr())
                .contains("[renew.restored]")
                .contains("the MTA is reloaded so that no process keeps the unknown one")
                .contains("ran '")
                .doesNotContain("the MTA is not reloaded")
                .doesNotContain("Exception");
        assertThat(lineage.liveVersion("cert")).isEqualTo(before);
        assertThat(publishedKeys())
                .containsExactlyInAnyOrderElementsOf(published)
                .doesNotContain(tlsa(stranger.getPublic()));
        // the safe outcome: the MX still presents the certificate whose record is published
        assertThat(postfix.presentedLeaf().getPublicKey().getEncoded())
                .isEqualTo(currentKey.getPublic().getEncoded());
        assertDaneVerified();
    }

    @Test
    @Order(4)
    void anEmergencyRolloverWaitsForTheGateThenDropsTheCompromisedRecordAtOnce() throws Exception {
        KeyPair compromised = currentKey;
        KeyPair next = stagedKey();
        Path stateFile = dir.resolve("state").resolve(MX).resolve("state.json");
        byte[] stateBefore = Files.readAllBytes(stateFile);
        List<String> published = publishedKeys();
        int version = lineage.liveVersion("cert");

        // not READY yet (as an operator with a one-hour margin sees the key staged minutes ago):
        // refused, and nothing changes
        ExternalTool.Result aging = mxpolicy("rollover", "status", "-c", path("cautious.yaml"), "--mx", MX);
        assertThat(aging.stdout())
                .as(aging.stdout() + aging.stderr())
                .contains(MX + ": NEXT_AGING (next key's record served, waiting for caches to expire)");
        ExternalTool.Result early =
                mxpolicy("rollover", "now", "-c", path("cautious.yaml"), "--mx", MX, "--wait", "30s");
        assertThat(early.exitCode()).as(early.stdout() + early.stderr()).isEqualTo(1);
        assertThat(early.stderr())
                .contains("[rollover.emergency-refused]")
                .contains("the gate opens at")
                .doesNotContain("ran '")
                .doesNotContain("Exception");
        assertThat(Files.readAllBytes(stateFile)).isEqualTo(stateBefore);
        assertThat(publishedKeys()).containsExactlyInAnyOrderElementsOf(published);
        assertThat(lineage.liveVersion("cert")).isEqualTo(version);
        assertThat(postfix.presentedLeaf().getPublicKey().getEncoded())
                .isEqualTo(compromised.getPublic().getEncoded());
        assertDaneVerified();

        // READY, but the MX's certificate still has the compromised key: refused, nothing changes
        awaitReady();
        stateBefore = Files.readAllBytes(stateFile);
        ExternalTool.Result uninstalled = rollover("now", "--mx", MX);
        assertThat(uninstalled.exitCode())
                .as(uninstalled.stdout() + uninstalled.stderr())
                .isEqualTo(1);
        assertThat(uninstalled.stderr())
                .contains("[rollover.emergency-no-certificate]")
                .doesNotContain("ran '")
                .doesNotContain("Exception");
        assertThat(Files.readAllBytes(stateFile)).isEqualTo(stateBefore);
        assertThat(publishedKeys()).containsExactlyInAnyOrderElementsOf(published);

        // the certificate for the staged key goes in place, then the switch
        int switched = lineage.renew(next, chain(next));
        ExternalTool.Result now = rollover("now", "--mx", MX);

        assertThat(now.exitCode()).as(now.stdout() + now.stderr()).isZero();
        assertThat(now.stderr())
                .contains("ran '" + dir.resolve("reload-mta.sh") + "'")
                .doesNotContain("Exception");
        assertThat(now.stdout()).contains("(compromised, record dropped)").doesNotContain("previous key's record kept");
        assertThat(lineage.liveVersion("cert")).isEqualTo(switched);
        // gone when the command returns, without waiting for the switch to be seen live
        KeyPair following = stagedKey();
        assertThat(publishedKeys())
                .containsExactlyInAnyOrder(tlsa(next.getPublic()), tlsa(following.getPublic()))
                .doesNotContain(tlsa(compromised.getPublic()));
        awaitPresentedKey(next.getPublic());
        assertDaneVerified();
        currentKey = next;

        // the timer's rollover run forgets the compromised key once the MX presents the new one
        ExternalTool.Result run = rollover("run");
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stderr()).contains("every address of " + MX + " presents");
        assertThat(run.stdout()).contains(MX + ": ").doesNotContain("retiring").doesNotContain("compromised");
        assertThat(publishedKeys()).containsExactlyInAnyOrder(tlsa(next.getPublic()), tlsa(following.getPublic()));
    }

    // ------------------------------------------------------------------ lab

    private static ExternalTool.Result mxpolicy(String... args) {
        return Launcher.runIn(lab, args);
    }

    private static ExternalTool.Result hook() {
        return mxpolicy(
                "renew-hook", "-c", config(), "--lineage", lineage.live().toString(), "--wait", "30s");
    }

    private static ExternalTool.Result rollover(String subcommand, String... args) {
        List<String> all = new ArrayList<>(List.of("rollover", subcommand, "-c", config(), "--wait", "30s"));
        all.addAll(List.of(args));
        return mxpolicy(all.toArray(String[]::new));
    }

    private static void awaitReady() throws InterruptedException {
        BoundedPoll.await(
                "the next key's gate to open",
                GATE_LIMIT,
                () -> {
                    ExternalTool.Result status = rollover("status", "--mx", MX);
                    return status.stdout().contains(MX + ": READY (a certificate with the next key may go live)")
                            ? null
                            : status.stdout() + status.stderr();
                },
                () -> "");
    }

    /**
     * {@code check} as an operator runs it, and posttls-finger requiring DANE: both must
     * authenticate the MX. The lab's Knot signs for two days only, so the signature thresholds
     * are lowered below that; the lab's certificates are short-lived as well.
     */
    private static void assertDaneVerified() {
        ExternalTool.Result check = mxpolicy(
                "check",
                "-c",
                config(),
                "--rrsig-warning",
                "1h",
                "--rrsig-critical",
                "10m",
                "--cert-warning",
                "1d",
                "--cert-critical",
                "1h");
        assertThat(check.exitCode())
                .as("check:%n%s%s", check.stdout(), check.stderr())
                .isZero();
        assertThat(check.stdout()).contains("[dane.verified]").contains("mxpolicy check: OK");
        assertThat(finger.dane(MX, SMTP_PORT))
                .as("posttls-finger")
                .contains("Verified TLS connection established to " + MX + "[127.0.0.1]:" + SMTP_PORT)
                .doesNotContain("verification failed");
    }

    /** Waits until new connections to the MX get a certificate with {@code key}. */
    private static void awaitPresentedKey(PublicKey key) throws InterruptedException {
        BoundedPoll.await(
                "the MX to present " + tlsa(key),
                CERTIFICATE_SWAP_LIMIT,
                () -> {
                    PublicKey seen = postfix.presentedLeaf().getPublicKey();
                    return Arrays.equals(seen.getEncoded(), key.getEncoded()) ? null : "it presents " + tlsa(seen);
                },
                postfix::log);
    }

    /**
     * The data of the usage-3 records Knot serves for the MX, asked with kdig in the namespace;
     * fails unless Knot answers, so an empty list means no such record.
     */
    private static List<String> publishedKeys() {
        String answer = lab.dig("127.0.0.1", KNOT_PORT, TLSA_OWNER, "TLSA");
        assertThat(answer).as("kdig " + TLSA_OWNER + " TLSA").contains("status: NOERROR");
        List<String> keys = new ArrayList<>();
        Matcher m = USAGE_3.matcher(answer);
        while (m.find()) {
            keys.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return keys;
    }

    /** The data of a {@code 3 1 1} record for {@code key}: SHA-256 of its SubjectPublicKeyInfo. */
    private static String tlsa(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static List<X509Certificate> chain(KeyPair key) {
        return List.of(InMemoryPki.issued(key, MX, CA, false, MX), CA.certificate());
    }

    private static Path live(String kind) {
        return lineage.live().resolve(kind + ".pem");
    }

    private static String config() {
        return path("provider.yaml");
    }

    private static String path(String name) {
        return dir.resolve(name).toString();
    }

    private static void writeConfig(String name, String ds, Path reload, String margin) throws IOException {
        Files.writeString(dir.resolve(name), """
                zones:
                  example.test:
                    ttl: 60
                    nameservers: [ "127.0.0.1:%1$d" ]
                    update: { server: "127.0.0.1:%1$d", key: update.tsig }
                dns:
                  resolvers: [ "%5$s:%6$d" ]
                  trust_anchors: [ "%2$s" ]
                rollover:
                  state_dir: state
                  margin: %4$s
                  on_unknown_key: restore
                  mta_reload: %3$s
                domains:
                  - name: example.test
                    mx:
                      - host: mx1.example.test
                        cert: letsencrypt/live/mx1.example.test/fullchain.pem
                        tlsa: { ttl: 1, issuer: false }
                """.formatted(
                        KNOT_PORT, ds, reload, margin, UnboundResolver.ADDRESS, UnboundResolver.PORT));
    }

    /**
     * The staged next key of the MX: the public key from {@code next.csr}, the private key from
     * {@code next.key}, as an operator hands them to an ACME client.
     */
    private static KeyPair stagedKey() throws Exception {
        Path host = dir.resolve("state").resolve(MX);
        PublicKey publicKey;
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(host.resolve("next.csr"))))) {
            PKCS10CertificationRequest request = (PKCS10CertificationRequest) parser.readObject();
            publicKey = new JcaPEMKeyConverter().getPublicKey(request.getSubjectPublicKeyInfo());
        }
        String pem = Files.readString(host.resolve("next.key"));
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey privateKey = KeyFactory.getInstance("EC")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        return new KeyPair(publicKey, privateKey);
    }
}
