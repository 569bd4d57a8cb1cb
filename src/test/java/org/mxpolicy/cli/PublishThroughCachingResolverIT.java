package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.KnotAuthority;
import org.mxpolicy.testing.LabFiles;
import org.mxpolicy.testing.LabResources;
import org.mxpolicy.testing.Launcher;
import org.mxpolicy.testing.NetworkNamespace;
import org.mxpolicy.testing.UnboundResolver;
import org.xbill.DNS.Name;

/**
 * {@code publish --apply} with {@code dns.resolvers} naming a validating, caching unbound between
 * mxpolicy and Knot, as operators run it: the resolver answers with the TTL its cache has left,
 * here capped at two seconds ({@code cache-max-ttl}) below the TLSA TTL of 600 that Knot serves,
 * so old records leave the cache quickly and the new ones never come back with the published
 * TTL. The wait must accept the resolver's answer by its records. {@link RolloverIT} runs every
 * rollover step through such a resolver too. Needs root (skipped otherwise, failed under CI).
 */
class PublishThroughCachingResolverIT {

    private static final Name ZONE = Name.fromConstantString("example.test.");
    private static final Name TSIG_NAME = Name.fromConstantString("mxpolicy-update.");
    private static final String TLSA_OWNER = "_25._tcp.mx1.example.test.";
    private static final int KNOT_PORT = 5300;
    private static final Duration CACHE_MAX_TTL = Duration.ofSeconds(2);
    private static final Pattern TLSA =
            Pattern.compile("^\\S+\\s+(\\d+)\\s+IN\\s+TLSA\\s+3 1 1 ([0-9A-Fa-f]+)\\s*$", Pattern.MULTILINE);
    private static final InMemoryPki.Issuer CA =
            InMemoryPki.intermediateCa("Resolver Lab CA", InMemoryPki.rootCa("Resolver Lab Root"));

    @TempDir
    static Path dir;

    private static final LabResources started = new LabResources();
    private static NetworkNamespace lab;
    private static String ds;

    @BeforeAll
    static void lab() throws Exception {
        String secret = Base64.getEncoder()
                .encodeToString("resolver-lab-tsig-secret-0123456".getBytes(StandardCharsets.US_ASCII));
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
        LabFiles.serverKeyAndChain(dir, "mx1", "mx1.example.test", CA);

        lab = started.open(NetworkNamespace.create("mxcache"));
        KnotAuthority knot =
                started.open(KnotAuthority.signing(lab, dir, KNOT_PORT, ZONE, zoneFile, TSIG_NAME, secret));
        ds = knot.ds(ZONE).get(0).toString();
        started.open(UnboundResolver.in(lab)
                .stubZone("example.test", knot.address(), knot.port())
                .trustAnchor(ds)
                .cacheMaxTtl(CACHE_MAX_TTL)
                .start(dir, "mx1.example.test", "A"));
    }

    @AfterAll
    static void closeLab() throws Exception {
        started.close();
    }

    @Test
    void aChangedTlsaRecordIsPublishedAndValidatedThroughTheCachingResolver() throws Exception {
        PublicKey first = nextKey("next-1.key");
        PublicKey second = nextKey("next-2.key");
        writeConfig("next-1.key");
        ExternalTool.Result initial = publish();
        assertThat(initial.exitCode()).as(initial.stdout() + initial.stderr()).isZero();
        // the wait itself asked the resolver, which now caches the first next key's record
        assertThat(throughResolver()).contains(tlsa(first));

        writeConfig("next-2.key");
        ExternalTool.Result changed = publish();

        assertThat(changed.exitCode()).as(changed.stdout() + changed.stderr()).isZero();
        assertThat(changed.stderr())
                .contains("served by every authoritative server and validated")
                .doesNotContain("[publish.not-validated]");
        String answer = lab.dig(UnboundResolver.ADDRESS, UnboundResolver.PORT, TLSA_OWNER, "TLSA");
        assertThat(answer).contains("status: NOERROR");
        assertThat(throughResolver()).contains(tlsa(second)).doesNotContain(tlsa(first));
        // the resolver never answers with the TTL Knot serves: what the wait had to accept
        Matcher m = TLSA.matcher(answer);
        while (m.find()) {
            assertThat(Long.parseLong(m.group(1))).isLessThanOrEqualTo(CACHE_MAX_TTL.toSeconds());
        }
    }

    private static ExternalTool.Result publish() {
        return Launcher.runIn(
                lab, "publish", "-c", dir.resolve("provider.yaml").toString(), "--apply", "--wait", "30s");
    }

    /** The {@code 3 1 1} record data the resolver answers for the MX's TLSA owner. */
    private static List<String> throughResolver() {
        String answer = lab.dig(UnboundResolver.ADDRESS, UnboundResolver.PORT, TLSA_OWNER, "TLSA");
        List<String> data = new ArrayList<>();
        Matcher m = TLSA.matcher(answer);
        while (m.find()) {
            data.add(m.group(2).toLowerCase(Locale.ROOT));
        }
        return data;
    }

    private static PublicKey nextKey(String file) throws Exception {
        PublicKey key = InMemoryPki.ec("secp256r1").getPublic();
        Files.writeString(dir.resolve(file), InMemoryPki.pem("PUBLIC KEY", key.getEncoded()));
        return key;
    }

    private static String tlsa(PublicKey key) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    }

    private static void writeConfig(String nextKey) throws Exception {
        Files.writeString(dir.resolve("provider.yaml"), """
                zones:
                  example.test:
                    ttl: 60
                    nameservers: [ "127.0.0.1:%1$d" ]
                    update: { server: "127.0.0.1:%1$d", key: update.tsig }
                dns:
                  resolvers: [ "%2$s:%3$d" ]
                  trust_anchors: [ "%4$s" ]
                domains:
                  - name: example.test
                    mx:
                      - host: mx1.example.test
                        cert: mx1.pem
                        next_key: %5$s
                        tlsa: { ttl: 600, issuer: false }
                """.formatted(
                        KNOT_PORT, UnboundResolver.ADDRESS, UnboundResolver.PORT, ds, nextKey));
    }
}
