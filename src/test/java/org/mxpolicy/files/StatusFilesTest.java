package org.mxpolicy.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.status.StatusModel;

class StatusFilesTest {

    private static final Path SMALL = Path.of("src/test/resources/status/check-small.json");

    @Test
    void theCheckRunIsParsedOncePerChangeOfTheFile(@TempDir Path dir) throws Exception {
        Path check = dir.resolve("check.json");
        StatusFiles files = new StatusFiles(check, Optional.empty());
        assertThat(files.check()).isEmpty();

        Files.copy(SMALL, check);
        StatusModel first = files.check().orElseThrow();
        assertThat(files.check().orElseThrow()).isSameAs(first);

        // the cron job writes a new file and renames it over the old one
        Path next = dir.resolve("check.json.new");
        Files.writeString(next, Files.readString(SMALL).replace("example.org", "example.info"));
        Files.move(next, check, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        StatusModel second = files.check().orElseThrow();
        assertThat(second).isNotSameAs(first);
        assertThat(second.row("example.info")).isPresent();

        Files.writeString(check, "not json");
        assertThatThrownBy(files::check).isInstanceOf(InvalidInputException.class);
        Files.delete(check);
        assertThat(files.check()).isEmpty();
    }

    @Test
    void aHostNameThatCannotBeAStateDirectoryHasNoRolloverState(@TempDir Path dir) throws Exception {
        StatusFiles files = new StatusFiles(dir.resolve("check.json"), Optional.of(dir));
        assertThat(files.rollover("../etc")).isEmpty();
        assertThat(files.rollover("mx1.example.com")).isEmpty();
    }
}
