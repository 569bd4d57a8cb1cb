package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.Cli;

/**
 * A rollover state directory that another local user could change is never read: its state
 * decides which keys get TLSA records, so {@code generate} (run as root) refuses it.
 */
class RolloverStateTrustTest {

    /** Another user's uid ({@code nobody}); the tests run as root, which may give files away. */
    private static final int NOBODY = 65534;

    @TempDir
    Path dir;

    private Path hostDir;

    @BeforeEach
    void copyTheExampleWithAStateDirectory() throws IOException {
        Path examples = Path.of("examples");
        try (Stream<Path> files = Files.walk(examples)) {
            for (Path from : files.toList()) {
                Path to = dir.resolve(examples.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        Files.writeString(
                dir.resolve("provider.yaml"),
                "rollover:\n  state_dir: state\n",
                java.nio.file.StandardOpenOption.APPEND);
        hostDir = Files.createDirectories(dir.resolve("state/mx1.example.com"));
        Files.writeString(hostDir.resolve("state.json"), "{\"format\": 1}\n");
    }

    private Cli.Run generate() {
        return Cli.run("generate", "-c", dir.resolve("provider.yaml").toString());
    }

    @Test
    void aStateDirectoryAnotherUserOwnsIsRefused() throws Exception {
        Files.setAttribute(dir.resolve("state"), "unix:uid", NOBODY);

        assertRefused(generate(), dir.resolve("state"), "owned by uid " + NOBODY);
    }

    @Test
    void aStateFileAnotherUserOwnsIsRefused() throws Exception {
        Files.setAttribute(hostDir.resolve("state.json"), "unix:uid", NOBODY);

        assertRefused(generate(), hostDir.resolve("state.json"), "owned by uid " + NOBODY);
    }

    @Test
    void aStateFileLinkedOutOfTheStateDirectoryIsRefused() throws Exception {
        Path planted = Files.move(hostDir.resolve("state.json"), dir.resolve("planted.json"));
        Files.createSymbolicLink(hostDir.resolve("state.json"), planted);

        assertRefused(generate(), hostDir.resolve("state.json"), "symbolic link");
    }

    private static void assertRefused(Cli.Run run, Path path, String reason) {
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.errorLines()).as(run.stderr()).hasSize(1);
        assertThat(run.stderr()).contains(path.toString()).contains(reason);
        assertThat(List.of(run.stderr())).noneMatch(s -> s.contains("Exception"));
    }
}
