package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.Cli;

class ReportCommandTest {

    private static final Path CHECK = Path.of("src/test/resources/status/check-small.json");

    @Test
    void writesTheOverviewAsOneFileWithItsStylesheetInside(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("status.html");
        Cli.Run run = Cli.run("report", "--check", CHECK.toString(), "--format", "html", "-o", out.toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String html = Files.readString(out);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<style>").doesNotContain("<link");
        assertThat(html).contains("<th scope=\"row\">example.net</th>").contains("Stale data");
        assertThat(Files.getPosixFilePermissions(out)).hasSize(4); // rw-r--r--
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(out); // nothing half-written left behind
        }
    }

    @Test
    void withoutOutputItPrintsTheReport() {
        Cli.Run run = Cli.run("report", "--check", CHECK.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    }

    @Test
    void aFileThatIsNotACheckRunIsOneLineAndExit2AndNothingWritten(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("check.json");
        Files.writeString(bad, "{\"zones\": [\n  1,\n  }\n");
        Path out = dir.resolve("status.html");
        Cli.Run run = Cli.run("report", "--check", bad.toString(), "-o", out.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines()).hasSize(1);
        assertThat(run.firstErrorLine()).startsWith(bad + ":3:3: error: not JSON: ");
        assertThat(out).doesNotExist();
        assertThat(Cli.run("report", "--check", dir.resolve("none.json").toString())
                        .firstErrorLine())
                .contains("none.json: error: no such file");
    }

    @Test
    void anOutputDirectoryThatIsMissingIsRefusedWithoutMkdir(@TempDir Path dir) {
        Cli.Run run = Cli.run(
                "report",
                "--check",
                CHECK.toString(),
                "-o",
                dir.resolve("no/status.html").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(Cli.run(
                                "report",
                                "--check",
                                CHECK.toString(),
                                "--mkdir",
                                "-o",
                                dir.resolve("no/status.html").toString())
                        .exitCode())
                .isZero();
    }
}
