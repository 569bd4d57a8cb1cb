package org.mxpolicy.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.keyroll.KeyId;
import org.mxpolicy.keyroll.KeyRollState;
import org.mxpolicy.keyroll.Sighting;

class JsonKeyRollStoreTest {

    @TempDir
    Path dir;

    private static final KeyRollState STATE = new KeyRollState(
            "example.com",
            List.of(
                    new Sighting(
                            Sighting.Kind.DS_SERVED,
                            new KeyId(13, 4321),
                            Instant.parse("2026-01-02T00:00:00Z"),
                            Duration.ofSeconds(86400)),
                    new Sighting(
                            Sighting.Kind.DNSKEY_SERVED,
                            new KeyId(13, 1234),
                            Instant.parse("2026-01-01T00:00:00Z"),
                            Duration.ofSeconds(3600))),
            Instant.parse("2026-01-03T00:00:00Z"));

    @Test
    void aSavedStateIsLoadedAsItWasInAFixedForm() throws Exception {
        JsonKeyRollStore store = new JsonKeyRollStore(dir);
        assertThat(store.load("example.com")).isEmpty();
        store.save(STATE);
        assertThat(store.load("example.com")).contains(STATE);
        assertThat(Files.readString(store.stateFile("example.com")))
                .isEqualTo(JsonKeyRollStore.write(STATE))
                .startsWith("{\n  \"format\": 1,\n  \"zone\": \"example.com\",\n  \"seen\": [\n    {\n      \"kind\":"
                        + " \"dnskey_served\",\n      \"key\": \"13+1234\",")
                .endsWith("\"updated\": \"2026-01-03T00:00:00Z\"\n}\n");
        assertThat(store.stateFile("example.com")).isEqualTo(dir.resolve("_dnssec/example.com.json"));
    }

    @Test
    void aDamagedOrOtherZonesStateIsRefusedWithItsFileName() throws Exception {
        JsonKeyRollStore store = new JsonKeyRollStore(dir);
        store.save(STATE);
        Path file = store.stateFile("example.com");
        Files.writeString(file, JsonKeyRollStore.write(STATE).replace("13+1234", "13+x"));
        InvalidInputException damaged =
                catchThrowableOfType(InvalidInputException.class, () -> store.load("example.com"));
        assertThat(damaged.findings())
                .extracting(Finding::format)
                .singleElement()
                .asString()
                .startsWith(file + ": error: '13+x' is not ALGORITHM+TAG; remove the file");
        Files.writeString(file, JsonKeyRollStore.write(STATE).replace("\"example.com\"", "\"example.net\""));
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> store.load("example.com"))
                        .findings())
                .extracting(Finding::id)
                .containsExactly("keys.state-invalid");
    }

    @Test
    void aStateFileOthersMayWriteIsNotTrusted() throws Exception {
        JsonKeyRollStore store = new JsonKeyRollStore(dir);
        store.save(STATE);
        Files.setPosixFilePermissions(store.stateFile("example.com"), PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> store.load("example.com"))
                        .findings())
                .extracting(Finding::id)
                .containsExactly(JsonKeyRollStore.TRUST);
    }
}
