package org.mxpolicy.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.files.CertbotLineage.Kind;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.testing.CertbotLineageFixture;

class CertbotLineageTest {

    private static final String NAME = "mx1.example.org";

    private static InMemoryPki.Issuer ca;
    private static final List<KeyPair> KEYS = new ArrayList<>();

    @TempDir
    Path letsencrypt;

    private CertbotLineageFixture fixture;

    @BeforeAll
    static void pki() {
        ca = InMemoryPki.rootCa("Test CA");
        for (int i = 0; i < 4; i++) {
            KEYS.add(InMemoryPki.ec("secp256r1"));
        }
    }

    @BeforeEach
    void lineage() {
        fixture = CertbotLineageFixture.create(letsencrypt, NAME);
    }

    private static List<X509Certificate> chain(KeyPair key) {
        return List.of(InMemoryPki.issued(key, NAME, ca, false, NAME), ca.certificate());
    }

    private int renew(int key) {
        return fixture.renew(KEYS.get(key), chain(KEYS.get(key)));
    }

    private static SubjectPublicKey publicKey(int key) throws InvalidInputException {
        return SubjectPublicKey.of(chain(KEYS.get(key)).get(0));
    }

    private void assertAllLiveAt(int version) {
        for (String kind : CertbotLineageFixture.KINDS) {
            assertThat(fixture.liveVersion(kind)).as(kind).isEqualTo(version);
            assertThat(fixture.linkTarget(kind))
                    .as(kind)
                    .isEqualTo(Path.of("..", "..", "archive", NAME, kind + version + ".pem"));
        }
    }

    @Test
    void readsTheLiveVersionAndTheOneBefore() throws Exception {
        renew(0);
        renew(1);

        CertbotLineage lineage = CertbotLineage.read(fixture.live());

        assertThat(lineage.name()).isEqualTo(NAME);
        assertThat(lineage.consistent()).isTrue();
        assertThat(lineage.current().number()).isEqualTo(2);
        assertThat(lineage.current().privkey()).isEqualTo(fixture.file("privkey", 2));
        assertThat(lineage.current().fullchain()).isEqualTo(fixture.file("fullchain", 2));
        assertThat(lineage.previous()).get().satisfies(v -> {
            assertThat(v.number()).isEqualTo(1);
            assertThat(v.cert()).isEqualTo(fixture.file("cert", 1));
            assertThat(v.chain()).isEqualTo(fixture.file("chain", 1));
        });
        assertThat(CertbotLineage.keyOf(lineage.current())).isEqualTo(publicKey(1));
        assertThat(CertbotLineage.keyOf(lineage.previous().orElseThrow())).isEqualTo(publicKey(0));
    }

    @Test
    void restoringPutsThePreviousVersionLiveInCertbotsLinkForm() throws Exception {
        renew(0);
        renew(1);

        CertbotLineage.Outcome outcome = CertbotLineage.read(fixture.live()).restorePrevious();

        assertThat(outcome).isEqualTo(CertbotLineage.Outcome.RESTORED);
        assertAllLiveAt(1);
        CertbotLineage reread = CertbotLineage.read(fixture.live());
        assertThat(CertbotLineage.keyOf(reread.current())).isEqualTo(publicKey(0));
        assertThat(Files.readString(fixture.live().resolve("privkey.pem")))
                .isEqualTo(Files.readString(fixture.file("privkey", 1)));
        try (var files = Files.list(fixture.live())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void holdsItsLiveFilesWhetherNamedThroughItsDirectoryOrALinkToIt() throws Exception {
        renew(0);
        CertbotLineage lineage = CertbotLineage.read(fixture.live());
        Path linkedDir = Files.createSymbolicLink(fixture.live().getParent().resolve("mx-live"), fixture.live());

        assertThat(lineage.holds(fixture.live().resolve("fullchain.pem"))).isTrue();
        assertThat(lineage.holds(linkedDir.resolve("fullchain.pem"))).isTrue();
        assertThat(lineage.holds(fixture.live().getParent().resolve("other/fullchain.pem")))
                .isFalse();
    }

    @Test
    void restoringAgainChangesNothing() throws Exception {
        renew(0);
        renew(1);
        CertbotLineage lineage = CertbotLineage.read(fixture.live());
        lineage.restorePrevious();

        assertThat(lineage.restorePrevious()).isEqualTo(CertbotLineage.Outcome.UNCHANGED);
        assertThat(CertbotLineage.read(fixture.live()).restorePrevious()).isEqualTo(CertbotLineage.Outcome.UNCHANGED);
        assertAllLiveAt(1);
    }

    @Test
    void thePreviousVersionIsTheHighestCompleteOneBelow() throws Exception {
        renew(0);
        renew(1);
        renew(2);
        Files.delete(fixture.file("privkey", 2));

        CertbotLineage lineage = CertbotLineage.read(fixture.live());

        assertThat(lineage.previous())
                .get()
                .extracting(CertbotLineage.Version::number)
                .isEqualTo(1);
        lineage.restorePrevious();
        assertAllLiveAt(1);
    }

    /**
     * A restore stopped after each of its renames: the restored leaf is never in cert.pem or
     * fullchain.pem before the restored key is in privkey.pem, and running it again finishes.
     */
    @Test
    void aRestoreStoppedAfterAnyLinkIsFinishedByTheNextRun() throws Exception {
        for (int done = 0; done <= CertbotLineage.RESTORE_ORDER.size(); done++) {
            fixture = CertbotLineageFixture.create(letsencrypt.resolve("run" + done), NAME);
            renew(0);
            renew(1);
            for (Kind kind : CertbotLineage.RESTORE_ORDER.subList(0, done)) {
                fixture.point(kind.stem(), 1);
            }
            Map<Kind, Integer> live = CertbotLineage.read(fixture.live()).liveVersions();
            if (live.get(Kind.CERT) == 1 || live.get(Kind.FULLCHAIN) == 1) {
                assertThat(live.get(Kind.PRIVKEY))
                        .as("privkey after %d renames", done)
                        .isEqualTo(1);
            }
            if (live.get(Kind.CERT) == 1) {
                assertThat(live.values()).as("all after %d renames", done).containsOnly(1);
            }

            CertbotLineage lineage = CertbotLineage.read(fixture.live());
            assertThat(lineage.consistent()).isEqualTo(done == 0 || done == 4);
            lineage.restorePrevious();

            assertAllLiveAt(1);
        }
    }

    @Test
    void aRenewalCertbotLeftHalfWayIsTakenBackToo() throws Exception {
        renew(0);
        fixture.addVersion(KEYS.get(1), chain(KEYS.get(1)));
        fixture.point("cert", 2);
        fixture.point("privkey", 2);

        CertbotLineage lineage = CertbotLineage.read(fixture.live());

        assertThat(lineage.consistent()).isFalse();
        assertThat(lineage.current().number()).isEqualTo(2);
        assertThat(lineage.restorePrevious()).isEqualTo(CertbotLineage.Outcome.RESTORED);
        assertAllLiveAt(1);
    }

    @Test
    void afterASecondRenewalTheVersionWithTheKeyInServiceIsFound() throws Exception {
        renew(0);
        renew(1);
        CertbotLineage.read(fixture.live()).restorePrevious();
        renew(2);

        CertbotLineage lineage = CertbotLineage.read(fixture.live());
        CertbotLineage.Version inService = lineage.newestWithKey(publicKey(0)).orElseThrow();

        assertThat(lineage.previous())
                .get()
                .extracting(CertbotLineage.Version::number)
                .isEqualTo(2);
        assertThat(inService.number()).isEqualTo(1);
        assertThat(lineage.restore(inService)).isEqualTo(CertbotLineage.Outcome.RESTORED);
        assertAllLiveAt(1);
        // the newest version is out of service: restoring never moves the links forward to version 2
        assertThat(CertbotLineage.read(fixture.live()).restorePrevious()).isEqualTo(CertbotLineage.Outcome.UNCHANGED);
        assertAllLiveAt(1);
        assertThat(lineage.newestWithKey(publicKey(3))).isEmpty();
    }

    @Test
    void aLineageWithOneVersionHasNothingToRestore() throws Exception {
        renew(0);

        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class,
                () -> CertbotLineage.read(fixture.live()).restorePrevious());

        assertThat(e.findings().get(0).id()).isEqualTo("certbot.no-previous");
        assertThat(e.getMessage()).contains(fixture.archive().toString(), "version 1");
        assertAllLiveAt(1);
    }

    @Test
    void refusesDirectoriesThatAreNoCertbotLineage() throws Exception {
        renew(0);
        Path live = fixture.live();

        Files.delete(live.resolve("privkey.pem"));
        assertThat(problem(live)).contains(live.resolve("privkey.pem").toString(), "is missing");

        Files.writeString(live.resolve("privkey.pem"), "a copy, not a link\n");
        assertThat(problem(live)).contains("is not a symbolic link");

        Files.delete(live.resolve("privkey.pem"));
        Files.createSymbolicLink(live.resolve("privkey.pem"), Path.of("../../archive", NAME, "key.pem"));
        assertThat(problem(live)).contains("not at an archive file privkeyN.pem");

        fixture.point("privkey", 7);
        assertThat(problem(live)).contains("privkey7.pem, which does not exist");

        assertThat(problem(letsencrypt.resolve("live/other.example.org"))).contains("no such directory");
    }

    private static String problem(Path live) {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> CertbotLineage.read(live));
        assertThat(e.findings()).hasSize(1);
        assertThat(e.findings().get(0).id()).isEqualTo("certbot.lineage");
        return e.getMessage();
    }

    @Test
    void readsWhatCertbotPassesToDeployHooks() throws Exception {
        renew(0);
        Map<String, String> environment = Map.of(
                "RENEWED_LINEAGE",
                fixture.live().toString(),
                "RENEWED_DOMAINS",
                " mx1.example.org  Mail.Example.org mx1.example.org. *.example.org ");

        assertThat(CertbotLineage.fromEnvironment(environment).liveDir()).isEqualTo(fixture.live());
        assertThat(CertbotLineage.renewedDomains(environment))
                .containsExactly("mx1.example.org", "mail.example.org", "*.example.org");

        InvalidInputException missing =
                catchThrowableOfType(InvalidInputException.class, () -> CertbotLineage.renewedDomains(Map.of()));
        assertThat(missing.getMessage())
                .startsWith("$RENEWED_DOMAINS: error: is not set")
                .contains("--deploy-hook");
        assertThat(catchThrowableOfType(
                                InvalidInputException.class,
                                () -> CertbotLineage.fromEnvironment(Map.of("RENEWED_LINEAGE", " ")))
                        .getMessage())
                .startsWith("$RENEWED_LINEAGE:");
    }
}
