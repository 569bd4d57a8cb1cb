package org.mxpolicy.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.cert.PublicKeyReader;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.rollover.RolloverState;
import org.mxpolicy.rollover.RolloverState.KeyEntry;
import org.mxpolicy.rollover.RolloverState.NextKey;
import org.mxpolicy.rollover.RolloverState.RetiringKey;
import org.mxpolicy.testing.GoldenFiles;

class RolloverStateJsonTest {

    static final String HOST = "mx1.example.com";

    static KeyEntry exampleKey(String file, String since) throws Exception {
        Path path = Path.of("examples/certs", file);
        try (InputStream in = Files.newInputStream(path)) {
            return KeyEntry.of(PublicKeyReader.read(in, path.toString()), Instant.parse(since));
        }
    }

    /** A host in the middle of everything: a retiring key, and the next key served and aging. */
    static RolloverState representative() throws Exception {
        KeyEntry current = exampleKey("mx1.example.com/cert.pem", "2026-01-01T00:00:00Z");
        KeyEntry next = exampleKey("mx1.example.com/next.key", "2026-02-27T09:00:00Z");
        KeyEntry retiring = exampleKey("mx2.example.com/cert.pem", "2025-10-01T00:00:00Z");
        return new RolloverState(
                HOST,
                current,
                Optional.of(new NextKey(next, Optional.of(Instant.parse("2026-02-28T10:15:00Z")), Duration.ofHours(1))),
                Optional.of(new RetiringKey(retiring, false)),
                Instant.parse("2026-03-01T12:00:00Z"));
    }

    private static RolloverState read(String json) throws InvalidInputException {
        return RolloverStateJson.read(new StringReader(json), "state.json");
    }

    private static InvalidInputException failure(String json) {
        return catchThrowableOfType(InvalidInputException.class, () -> read(json));
    }

    @Test
    void theFileFormatOfARepresentativeStateIsStable() throws Exception {
        GoldenFiles.assertMatches("rollover/state.json", RolloverStateJson.write(representative()));
    }

    @Test
    void everyShapeOfStateReadsBackEqual() throws Exception {
        RolloverState full = representative();
        RolloverState staged = new RolloverState(
                HOST,
                full.current(),
                Optional.of(NextKey.staged(full.next().get().key())),
                Optional.empty(),
                full.updated());
        RolloverState compromised = new RolloverState(
                HOST,
                full.current(),
                Optional.empty(),
                Optional.of(new RetiringKey(full.retiring().get().key(), true)),
                full.updated());
        RolloverState fractional =
                RolloverState.start(HOST, full.current(), Instant.parse("2026-03-01T12:00:00.123456789Z"));

        for (RolloverState state : new RolloverState[] {full, staged, compromised, fractional}) {
            assertThat(read(RolloverStateJson.write(state))).isEqualTo(state);
        }
        assertThat(RolloverStateJson.write(staged))
                .doesNotContain("served_since")
                .doesNotContain("ttl_window")
                .doesNotContain("retiring");
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        String json = RolloverStateJson.write(representative())
                .replace("\"format\": 1,", "\"format\": 1, \"written_by\": {\"version\": \"9.9\"},")
                .replace("\"compromised\": false", "\"compromised\": false, \"note\": [1, 2]");

        assertThat(read(json)).isEqualTo(representative());
    }

    @Test
    void aSyntaxErrorNamesTheFileLineAndColumn() throws Exception {
        String truncated =
                RolloverStateJson.write(representative()).lines().limit(5).reduce("", (a, b) -> a + b + "\n");

        InvalidInputException e = failure(truncated);

        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("rollover.state-syntax");
            assertThat(f.position().source()).isEqualTo("state.json");
            assertThat(f.position().line()).isEqualTo(6);
            assertThat(f.format()).startsWith("state.json:6:").contains("invalid JSON in the rollover state");
        });
    }

    @Test
    void badBase64IsReportedAtItsField() throws Exception {
        String json = RolloverStateJson.write(representative()).replaceFirst("\"spki\": \"", "\"spki\": \"!!");

        InvalidInputException e = failure(json);

        assertThat(e.getMessage()).startsWith("state.json:5:").contains("\"current.spki\": expected base64 text");
    }

    @Test
    void aDigestThatIsNotTheKeysIsDamage() throws Exception {
        RolloverState state = representative();
        String json = RolloverStateJson.write(state)
                .replace(state.current().sha256(), state.next().get().key().sha256());

        InvalidInputException e = failure(json);

        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("rollover.state-invalid");
            // reported at the end of the "current" object, lines 4 to 9
            assertThat(f.position().line()).isEqualTo(9);
            assertThat(f.message())
                    .contains("\"current\": sha256 " + state.next().get().key().sha256()
                            + " is not the digest of the key");
        });
    }

    @Test
    void missingAndMalformedFieldsAreNamed() throws Exception {
        String json = RolloverStateJson.write(representative());

        assertThat(failure(json.replace("\"description\": \"ECDSA P-256\",", ""))
                        .getMessage())
                .contains("\"current\": missing \"description\"");
        assertThat(failure(json.replace("\"updated\": \"2026-03-01T12:00:00Z\"", "\"updated\": \"yesterday\""))
                        .getMessage())
                .contains("\"updated\" is not an ISO-8601 UTC time such as 2026-03-01T12:00:00Z: \"yesterday\"");
        assertThat(failure(json.replace("\"ttl_window\": 3600", "\"ttl_window\": -1"))
                        .getMessage())
                .contains("\"next\": \"ttl_window\" is negative: -1");
        assertThat(failure(json.replace("\"compromised\": false", "\"compromised\": \"no\""))
                        .getMessage())
                .contains("\"retiring.compromised\": expected true or false");
        assertThat(failure(json.replace("\"host\": \"mx1.example.com\"", "\"host\": \"../mx1\""))
                        .getMessage())
                .contains("\"host\": not a host name");
    }

    @Test
    void aNewerFormatIsRefusedRatherThanMisread() throws Exception {
        String json = RolloverStateJson.write(representative()).replace("\"format\": 1,", "\"format\": 2,");

        assertThat(failure(json).getMessage()).contains("format 2 is not known to this version of mxpolicy");
        assertThat(failure(json.replace("\"format\": 2,", "")).getMessage()).contains("missing \"format\"");
    }

    @Test
    void emptyNullAndNonObjectFilesAreInvalid() {
        assertThat(failure("").getMessage())
                .isEqualTo(
                        "state.json: error: the rollover state file is empty; restore"
                                + " it from a backup, or remove it to start over from the current certificate [rollover.state-invalid]");
        assertThat(failure("null").getMessage()).contains("null instead of an object");
        assertThat(failure("[1]").getMessage()).startsWith("state.json:1:1: error: invalid rollover state");
        assertThat(failure("{} {}").exitCode()).isEqualTo(2);
    }
}
