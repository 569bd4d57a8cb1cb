package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.Cli;
import org.mxpolicy.testing.Launcher;

/**
 * {@code bin/mxpolicy}'s class data archive: written by the first run of a short command into the
 * user's cache and used by the next, never changing what the command prints; an archive or
 * directory someone else could have written is class data the JVM would run, so it is not used.
 */
class LauncherClassArchiveIT {

    private static final String[] GENERATE = {"generate", "-c", "examples/provider.yaml"};

    @TempDir
    Path cache;

    @Test
    void theFirstRunWritesTheArchiveAndTheNextUsesItPrintingTheSame() throws Exception {
        String expected = Cli.run(GENERATE).stdout();

        String first = launch(GENERATE);
        List<Path> archives = archives();
        String second = launch(GENERATE);

        assertThat(first).isEqualTo(expected);
        assertThat(second).isEqualTo(expected);
        assertThat(archives).hasSize(1);
        assertThat(archives.get(0).getFileName().toString())
                .startsWith("generate-")
                .endsWith(".jsa");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.resolve("mxpolicy"))))
                .isEqualTo("rwx------");
        assertThat(archives()).isEqualTo(archives);
    }

    @Test
    void anArchiveAnotherUserOwnsIsNotUsedButWrittenAnew() throws Exception {
        launch(GENERATE);
        Path archive = archives().get(0);
        Files.delete(archive);
        Files.writeString(archive, "planted");
        UserPrincipal nobody =
                archive.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(archive, nobody);

        String out = launch(GENERATE);

        assertThat(out).isEqualTo(Cli.run(GENERATE).stdout());
        assertThat(Files.getOwner(archive)).isNotEqualTo(nobody);
        assertThat(Files.size(archive)).isGreaterThan(1024 * 1024);
    }

    @Test
    void aCacheDirectoryOthersMayWriteToIsNeitherReadNorWritten() throws Exception {
        Path dir = Files.createDirectory(cache.resolve("mxpolicy"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));

        String out = launch(GENERATE);

        assertThat(out).isEqualTo(Cli.run(GENERATE).stdout());
        assertThat(archives()).isEmpty();
    }

    @Test
    void aCacheRootOthersMayWriteToIsNotTrustedEither() throws Exception {
        // whoever may write there could put another directory in place of mxpolicy/ after the check
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));

        String out = launch(GENERATE);

        assertThat(out).isEqualTo(Cli.run(GENERATE).stdout());
        assertThat(archives()).isEmpty();
    }

    private List<Path> archives() throws IOException {
        Path dir = cache.resolve("mxpolicy");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private String launch(String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                Stream.concat(Stream.of(Launcher.path()), Stream.of(args)).toList());
        builder.environment().put("XDG_CACHE_HOME", cache.toString());
        builder.environment().remove("MXPOLICY_CDS");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return out;
    }
}
