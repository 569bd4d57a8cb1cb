package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.dnssec.KeyTiming.Event;
import org.mxpolicy.finding.InvalidInputException;

class KeyTimingTest {

    private static final Instant P = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant A = Instant.parse("2026-12-02T00:00:00Z");
    private static final Instant I = Instant.parse("2026-12-30T00:00:00Z");
    private static final Instant D = Instant.parse("2027-01-10T00:00:00Z");
    private static final KeyTiming FULL = KeyTiming.NONE
            .with(Event.CREATED, P)
            .with(Event.PUBLISH, P)
            .with(Event.ACTIVATE, A)
            .with(Event.INACTIVE, I)
            .with(Event.DELETE, D);

    @Test
    void stateFollowsTheTimesWithEachBoundaryBelongingToTheLaterState() {
        assertThat(FULL.stateAt(P.minusSeconds(1))).isEqualTo(KeyState.UNPUBLISHED);
        assertThat(FULL.stateAt(P)).isEqualTo(KeyState.PUBLISHED);
        assertThat(FULL.stateAt(A)).isEqualTo(KeyState.ACTIVE);
        assertThat(FULL.stateAt(I.minusSeconds(1))).isEqualTo(KeyState.ACTIVE);
        assertThat(FULL.stateAt(I)).isEqualTo(KeyState.INACTIVE);
        assertThat(FULL.stateAt(D)).isEqualTo(KeyState.DELETED);
        assertThat(FULL.with(Event.REVOKE, A.plusSeconds(60)).stateAt(I)).isEqualTo(KeyState.REVOKED);
    }

    @Test
    void aKeyWithoutLifecycleTimesIsActiveFromTheStart() {
        assertThat(KeyTiming.NONE.stateAt(P)).isEqualTo(KeyState.ACTIVE);
        assertThat(KeyTiming.NONE.with(Event.CREATED, D).stateAt(P)).isEqualTo(KeyState.ACTIVE);
    }

    @Test
    void withoutPublishTimeAKeyIsPublishedWhileItSigns() {
        KeyTiming activeOnly = KeyTiming.NONE.with(Event.ACTIVATE, A);

        assertThat(activeOnly.stateAt(P)).isEqualTo(KeyState.UNPUBLISHED);
        assertThat(activeOnly.stateAt(A)).isEqualTo(KeyState.ACTIVE);
        assertThat(KeyTiming.NONE.with(Event.PUBLISH, P).stateAt(D)).isEqualTo(KeyState.PUBLISHED);
    }

    @Test
    void settingsReadAsDnssecKeygenReadsThem() {
        Instant now = Instant.parse("2026-12-07T22:13:12.345Z");
        assertThat(KeyTiming.parseSetting("now", now)).contains(Instant.parse("2026-12-07T22:13:12Z"));
        assertThat(KeyTiming.parseSetting("+1d", now)).contains(Instant.parse("2026-12-08T22:13:12Z"));
        assertThat(KeyTiming.parseSetting("-12h", now)).contains(Instant.parse("2026-12-07T10:13:12Z"));
        assertThat(KeyTiming.parseSetting("now+1w", now)).contains(Instant.parse("2026-12-14T22:13:12Z"));
        assertThat(KeyTiming.parseSetting("+30mi", now)).contains(Instant.parse("2026-12-07T22:43:12Z"));
        assertThat(KeyTiming.parseSetting("+1mo", now)).contains(Instant.parse("2027-01-06T22:13:12Z"));
        assertThat(KeyTiming.parseSetting("+3600", now)).contains(Instant.parse("2026-12-07T23:13:12Z"));
        assertThat(KeyTiming.parseSetting("20270101120000", now)).contains(Instant.parse("2027-01-01T12:00:00Z"));
        assertThat(KeyTiming.parseSetting("20270101", now)).contains(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(KeyTiming.parseSetting("none", now)).isEmpty();
        for (String bad : new String[] {"tomorrow", "+1x", "20271301000000", "2027010112", "+m"}) {
            assertThatThrownBy(() -> KeyTiming.parseSetting(bad, now))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad);
        }
    }

    @Test
    void timingIsReadFromThePrivateFileAndWrittenAsBindWritesIt() throws Exception {
        ZoneKey key = SigningFixtures.key(SigningFixtures.FEATURES, DnssecAlgorithm.ECDSAP256SHA256, 256, 7)
                .withTiming(FULL);

        String publicText = KeyFiles.publicKeyText(key);
        String privateText = KeyFiles.privateKeyText(key);

        assertThat(publicText)
                .contains("; Created: 20261201000000 (Tue Dec  1 00:00:00 2026)\n"
                        + "; Publish: 20261201000000 (Tue Dec  1 00:00:00 2026)\n"
                        + "; Activate: 20261202000000 (Wed Dec  2 00:00:00 2026)\n"
                        + "; Inactive: 20261230000000 (Wed Dec 30 00:00:00 2026)\n"
                        + "; Delete: 20270110000000 (Sun Jan 10 00:00:00 2027)\n");
        assertThat(privateText)
                .endsWith("Created: 20261201000000\nPublish: 20261201000000\nActivate: 20261202000000\n"
                        + "Inactive: 20261230000000\nDelete: 20270110000000\n");
        ZoneKey publicOnly = KeyFiles.readPublicKey(new StringReader(publicText), "K.key");
        assertThat(publicOnly.timing()).isEqualTo(FULL);
        ZoneKey read = KeyFiles.read(
                new StringReader(publicText.replaceAll("; [A-Z][a-z]+: .*\n", "")),
                "K.key",
                new StringReader(privateText),
                "K.private");
        assertThat(read.timing()).isEqualTo(FULL);
    }

    @Test
    void aMalformedTimeIsAnErrorNamingFileAndLine() {
        ZoneKey key = SigningFixtures.key(SigningFixtures.FEATURES, DnssecAlgorithm.ECDSAP256SHA256, 256, 7)
                .withTiming(FULL);
        String privateText = KeyFiles.privateKeyText(key).replace("Activate: 20261202000000", "Activate: 2026120");
        String publicText = KeyFiles.publicKeyText(key).replace("; Delete: 20270110000000", "; Delete: 20271310000000");

        assertThatThrownBy(() -> KeyFiles.read(
                        new StringReader(KeyFiles.publicKeyText(key)),
                        "K.key",
                        new StringReader(privateText),
                        "K.private"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).findings())
                        .singleElement()
                        .satisfies(f -> {
                            assertThat(f.id()).isEqualTo("key.bad-timing");
                            assertThat(f.position() + " " + f.message())
                                    .contains("K.private:6")
                                    .contains("Activate");
                        }));
        assertThatThrownBy(() -> KeyFiles.readPublicKey(new StringReader(publicText), "K.key"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).findings())
                        .singleElement()
                        .satisfies(f -> assertThat(f.position() + " " + f.message())
                                .contains("K.key:6")
                                .contains("Delete")));
    }

    @Test
    void ldnsCommentsAreNoTiming() throws Exception {
        ZoneKey key = SigningFixtures.key(SigningFixtures.FEATURES, DnssecAlgorithm.ECDSAP256SHA256, 256, 7);
        String text =
                KeyFiles.publicKeyText(key).replaceAll("; [A-Z][a-z]+: .*\n", "") + ";{id = 1 (zsk), size = 256b}\n";

        assertThat(KeyFiles.readPublicKey(new StringReader(text), "K.key").timing())
                .isEqualTo(KeyTiming.NONE);
        assertThat(Optional.of(KeyTiming.NONE.stateAt(P))).contains(KeyState.ACTIVE);
    }
}
