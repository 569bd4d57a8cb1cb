package org.mxpolicy.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.rollover.RolloverState;

class JsonRolloverStoreTest {

    private static final String HOST = RolloverStateJsonTest.HOST;

    @TempDir
    Path stateDir;

    @Test
    void aHostWithoutStateHasNone() throws Exception {
        assertThat(new JsonRolloverStore(stateDir).load(HOST)).isEmpty();
    }

    @Test
    void aSavedStateIsWrittenPubliclyUnderItsHostAndLoadsBackEqual() throws Exception {
        JsonRolloverStore store = new JsonRolloverStore(stateDir);
        RolloverState state = RolloverStateJsonTest.representative();

        store.save(state);

        Path file = stateDir.resolve("mx1.example.com/state.json");
        assertThat(store.stateFile(HOST)).isEqualTo(file);
        assertThat(Files.readString(file)).isEqualTo(RolloverStateJson.write(state));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-r--r--");
        assertThat(new JsonRolloverStore(stateDir).load(HOST)).contains(state);
        assertThat(AtomicFiles.leftovers(file.getParent())).isEmpty();
    }

    @Test
    void aTemporaryFileLeftByACrashDuringSaveIsNotRead() throws Exception {
        JsonRolloverStore store = new JsonRolloverStore(stateDir);
        RolloverState state = RolloverStateJsonTest.representative();
        store.save(state);
        Files.writeString(stateDir.resolve("mx1.example.com/.state.json.12345.tmp"), "{\"format\": 1, \"ho");

        assertThat(store.load(HOST)).contains(state);
    }

    @Test
    void aDamagedFileIsAnErrorNamingTheFileNeverAFreshStart() throws Exception {
        JsonRolloverStore store = new JsonRolloverStore(stateDir);
        store.save(RolloverStateJsonTest.representative());
        Path file = store.stateFile(HOST);
        String json = Files.readString(file);
        Files.writeString(file, json.substring(0, json.indexOf("\"next\"")));

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> store.load(HOST));

        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(e.getMessage()).startsWith(file + ":10:").contains("invalid JSON in the rollover state");
    }

    @Test
    void aFileThatCannotBeReadIsAnError() throws Exception {
        JsonRolloverStore store = new JsonRolloverStore(stateDir);
        Files.createDirectories(store.stateFile(HOST));

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> store.load(HOST));

        assertThat(e.getMessage())
                .startsWith(store.stateFile(HOST) + ": error: cannot read the rollover state")
                .endsWith("[rollover.state-unreadable]");
    }

    @Test
    void aFileThatIsNotUtf8IsAnError() throws Exception {
        JsonRolloverStore store = new JsonRolloverStore(stateDir);
        Files.createDirectories(store.hostDir(HOST));
        Files.write(store.stateFile(HOST), new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'});

        assertThat(catchThrowableOfType(InvalidInputException.class, () -> store.load(HOST))
                        .getMessage())
                .contains("not UTF-8 text");
    }

    @Test
    void aStateOfAnotherHostIsNotTakenForThisOne() throws Exception {
        JsonRolloverStore store = new JsonRolloverStore(stateDir);
        store.save(RolloverStateJsonTest.representative());
        Path other = store.stateFile("mx2.example.com");
        Files.createDirectories(other.getParent());
        Files.copy(store.stateFile(HOST), other);

        assertThat(catchThrowableOfType(InvalidInputException.class, () -> store.load("mx2.example.com"))
                        .getMessage())
                .contains("this rollover state is for mx1.example.com, not mx2.example.com");
        assertThat(Files.readString(other, StandardCharsets.UTF_8)).contains("\"host\": \"mx1.example.com\"");
    }

    @Test
    void refusesAStateAnotherUserOwnsOrMayWriteAndAStateFileThatIsALink() throws Exception {
        JsonRolloverStore store = new JsonRolloverStore(stateDir);
        store.save(RolloverStateJsonTest.representative());
        Path file = store.stateFile(HOST);

        Files.setAttribute(file, "unix:uid", 65534);
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> store.load(HOST))
                        .getMessage())
                .contains("owned by uid 65534");
        Files.setAttribute(file, "unix:uid", 0);

        Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> store.load(HOST))
                        .getMessage())
                .contains("writable by group or others");
        assertThat(catchThrowableOfType(
                                InvalidInputException.class, () -> store.save(RolloverStateJsonTest.representative()))
                        .getMessage())
                .contains("writable by group or others");
        Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));

        Path planted = Files.move(file, stateDir.resolve("planted.json"));
        Files.createSymbolicLink(file, planted);
        InvalidInputException link = catchThrowableOfType(InvalidInputException.class, () -> store.load(HOST));
        assertThat(link.findings()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo(JsonRolloverStore.STATE_TRUST);
            assertThat(f.message()).contains("symbolic link");
        });
    }
}
