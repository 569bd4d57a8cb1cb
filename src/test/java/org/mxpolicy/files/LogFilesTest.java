package org.mxpolicy.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.finding.InvalidInputException;

class LogFilesTest {

    @TempDir
    Path dir;

    @Test
    void rotatedFilesAreReadOldestFirstAndGzipIsToldByItsBytes() throws Exception {
        Path current = dir.resolve("mail.log");
        Path rotated = dir.resolve("mail.log.1");
        Path compressed = dir.resolve("mail.log.2.gz");
        Files.writeString(current, "third\n");
        Files.writeString(rotated, "second\n");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(compressed))) {
            out.write("first\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.setLastModifiedTime(compressed, FileTime.from(Instant.parse("2025-12-30T10:00:00Z")));
        Files.setLastModifiedTime(rotated, FileTime.from(Instant.parse("2026-01-06T10:00:00Z")));
        Files.setLastModifiedTime(current, FileTime.from(Instant.parse("2026-01-13T10:00:00Z")));

        List<LogFiles.LogFile> files = LogFiles.oldestFirst(List.of(current, rotated, compressed));

        assertThat(files).extracting(LogFiles.LogFile::path).containsExactly(compressed, rotated, current);
        assertThat(files).extracting(LogFiles.LogFile::modifiedYear).containsExactly(2025, 2026, 2026);
        assertThat(firstLine(files.get(0))).isEqualTo("first");
        assertThat(firstLine(files.get(2))).isEqualTo("third");
    }

    @Test
    void aMissingFileIsBadInputNamingIt() {
        Path missing = dir.resolve("mail.log.9");
        assertThatThrownBy(() -> LogFiles.oldestFirst(List.of(missing)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("mail.log.9")
                .hasMessageContaining("no such file");
    }

    private static String firstLine(LogFiles.LogFile file) throws IOException {
        try (BufferedReader reader = new BufferedReader(file.open())) {
            return reader.readLine();
        }
    }
}
