package org.mxpolicy.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.testing.BoundedPoll;
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
 * {@code mxpolicy check} and Postfix's own DANE client, {@code posttls-finger}, judge the same MX
 * the same way: both authenticate it while it presents the certificate whose TLSA records
 * {@code publish} wrote, and both refuse it once it presents a key that was never published
 * (RFC 7672 section 2.2: a DANE sender finds no usable TLSA match and defers the mail).
 *
 * <p>The two look at one lab, in a network namespace of its own: Knot signs {@code example.test}
 * and takes the TSIG-signed updates of {@code publish --apply}; unbound on 127.0.0.1:53 validates
 * it from Knot's DS and is the namespace's system resolver, which posttls-finger trusts for the
 * AD bit ({@code smtp_dns_support_level = dnssec}); Postfix listens on 127.0.0.1:25, the address
 * and port {@code mx1.example.test} resolves to, so both clients find it through DNS and look up
 * {@code _25._tcp.mx1.example.test} TLSA. {@code mxpolicy} validates on its own, from the same DS,
 * asking Knot directly. Needs root (skipped otherwise, failed under CI).
 */
class PosttlsFingerAgreementIT {

    private static final Name ZONE = Name.fromConstantString("example.test.");
    private static final Name TSIG_NAME = Name.fromConstantString("mxpolicy-update.");
    private static final int KNOT_PORT = 5300;
    private static final int SMTP_PORT = 25;
    private static final String MX = "mx1.example.test";
    private static final Duration CERTIFICATE_SWAP_LIMIT = Duration.ofSeconds(30);
    private static final InMemoryPki.Issuer ROOT = InMemoryPki.rootCa("Lab Root");
    private static final InMemoryPki.Issuer CA = InMemoryPki.intermediateCa("Lab CA", ROOT);
    private static final InMemoryPki.Issuer OTHER_CA = InMemoryPki.intermediateCa("Other Lab CA", ROOT);

    @TempDir
    static Path dir;

    /** Everything started for the lab, closed last first: the servers, then the namespace. */
    private static final LabResources started = new LabResources();

    private static NetworkNamespace lab;
    private static PostfixServer postfix;
    private static PosttlsFinger finger;

    @BeforeAll
    static void lab() throws Exception {
        ExternalTool.require("openssl");
        String secret = Base64.getEncoder()
                .encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        Path zoneFile = dir.resolve("example.test.zone");
        Files.writeString(zoneFile, """
                $ORIGIN example.test.
                $TTL 300
                @        IN SOA ns1 hostmaster 1 3600 600 86400 300
                @        IN NS  ns1
                @        IN MX  10 mx1
                ns1      IN A   127.0.0.1
                mx1      IN A   127.0.0.1
                """);
        LabFiles.serverKeyAndChain(dir, "mx1", MX, CA);
        LabFiles.serverKeyAndChain(dir, "mx1-other", MX, OTHER_CA);
        LabFiles.tsigKey(dir.resolve("update.tsig"), TSIG_NAME, secret);

        lab = open(NetworkNamespace.create("mxfinger"));
        finger = PosttlsFinger.in(lab, dir);
        KnotAuthority knot = open(KnotAuthority.signing(lab, dir, KNOT_PORT, ZONE, zoneFile, TSIG_NAME, secret));
        String ds = knot.ds(ZONE).get(0).toString();
        // Only the address is asked here: a TLSA query before publish would leave unbound with a
        // cached "no such record" for the negative TTL.
        open(UnboundResolver.in(lab)
                .stubZone("example.test", knot.address(), knot.port())
                .trustAnchor(ds)
                .start(dir, MX, "A"));
        lab.useResolver(UnboundResolver.ADDRESS);
        postfix = open(PostfixServer.builder(MX)
                .certificate(dir.resolve("mx1.key"), dir.resolve("mx1.pem"))
                .in(lab, SMTP_PORT)
                .start());

        Files.writeString(dir.resolve("provider.yaml"), """
                zones:
                  example.test:
                    ttl: 300
                    nameservers: [ "127.0.0.1:%1$d" ]
                    update: { server: "127.0.0.1:%1$d", key: update.tsig }
                dns:
                  resolvers: [ "127.0.0.1:%1$d" ]
                  trust_anchors: [ "%2$s" ]
                domains:
                  - name: example.test
                    mx:
                      - host: %3$s
                        cert: mx1.pem
                """.formatted(KNOT_PORT, ds, MX));
        ExternalTool.Result publish = mxpolicy("publish", "-c", path("provider.yaml"), "--apply", "--wait", "30s");
        assertThat(publish.exitCode())
                .as("publish --apply:%n%s%s", publish.stdout(), publish.stderr())
                .isZero();
        assertThat(publish.stdout()).contains("CREATE _25._tcp.mx1.example.test. TLSA");
    }

    @AfterAll
    static void closeLab() throws Exception {
        started.close();
    }

    @Test
    void bothAuthenticateTheCertificateWhoseRecordsWerePublished() {
        ExternalTool.Result check = check();
        String fingered = posttlsFinger();

        assertThat(check.exitCode())
                .as("check:%n%s%s", check.stdout(), check.stderr())
                .isZero();
        assertThat(check.stdout())
                .containsPattern(result("OK", "dane.verified"))
                .contains("mxpolicy check: OK");
        assertThat(fingered)
                .as("posttls-finger")
                .contains("Verified TLS connection established to " + MX + "[127.0.0.1]:25")
                .doesNotContain("verification failed");
    }

    @Test
    void bothRefuseACertificateWithAnUnpublishedKeyFromAnotherCa() throws Exception {
        postfix.replaceCertificate(dir.resolve("mx1-other.key"), dir.resolve("mx1-other.pem"));
        try {
            awaitPresentedIssuer("Other Lab CA");

            ExternalTool.Result check = check();
            String fingered = posttlsFinger();

            assertThat(check.exitCode())
                    .as("check:%n%s%s", check.stdout(), check.stderr())
                    .isEqualTo(2);
            assertThat(check.stdout())
                    .containsPattern(result("CRITICAL", "dane.live-unmatched"))
                    .doesNotContain("[dane.verified]");
            assertThat(fingered)
                    .as("posttls-finger")
                    .contains("no matching DANE TLSA records")
                    .doesNotContain("Verified TLS connection");
        } finally {
            postfix.replaceCertificate(dir.resolve("mx1.key"), dir.resolve("mx1.pem"));
            awaitPresentedIssuer("Lab CA");
        }
    }

    // ------------------------------------------------------------------ lab

    /** A line of check's text report about the probe of {@code mx1.example.test} at 127.0.0.1:25. */
    private static Pattern result(String severity, String id) {
        return Pattern.compile(
                "^" + severity + " +" + Pattern.quote(MX + " 127.0.0.1:" + SMTP_PORT + ": ") + ".*"
                        + Pattern.quote("[" + id + "]") + "$",
                Pattern.MULTILINE);
    }

    private static <T extends AutoCloseable> T open(T resource) {
        return started.open(resource);
    }

    /** {@code bin/mxpolicy} in the namespace. */
    private static ExternalTool.Result mxpolicy(String... args) {
        return Launcher.runIn(lab, args);
    }

    /**
     * {@code check} as an operator runs it: the MX found through DNS, no {@code --connect}. The
     * lab's Knot signs for two days only, so the signature thresholds are lowered below that.
     */
    private static ExternalTool.Result check() {
        return mxpolicy("check", "-c", path("provider.yaml"), "--rrsig-warning", "1h", "--rrsig-critical", "10m");
    }

    /** posttls-finger with DANE required, about the MX on port 25 (see {@link PosttlsFinger#dane}). */
    private static String posttlsFinger() {
        return finger.dane(MX, SMTP_PORT);
    }

    /**
     * After a reload, an smtpd that was already running may still serve one connection with the
     * old certificate: wait, with openssl as a neutral client, until the leaf comes from
     * {@code issuer}, so both verdicts are about the new certificate.
     */
    private static void awaitPresentedIssuer(String issuer) throws InterruptedException {
        String openssl = ExternalTool.require("openssl").path();
        BoundedPoll.await(
                "a certificate issued by " + issuer + " on " + MX,
                CERTIFICATE_SWAP_LIMIT,
                () -> {
                    ExternalTool.Result seen = lab.run(
                            openssl,
                            "s_client",
                            "-starttls",
                            "smtp",
                            "-connect",
                            "127.0.0.1:" + SMTP_PORT,
                            "-servername",
                            MX);
                    String expected = "issuer=CN = " + issuer + "\n";
                    return seen.stdout().contains(expected)
                            ? null
                            : "openssl s_client printed:\n" + seen.stdout() + seen.stderr();
                },
                postfix::log);
    }

    private static String path(String name) {
        return dir.resolve(name).toString();
    }
}
