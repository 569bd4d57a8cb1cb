package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.Cli;

/** Where {@code audit -o} writes: refused before any domain is looked up. */
class AuditOutputFileTest {

    @TempDir
    Path dir;

    @Test
    void aMissingDirectoryIsRefusedBeforeAnythingIsAudited() {
        Path missing = dir.resolve("typo");

        // The resolver is a discard address: had the audit started, it would have waited for it.
        Cli.Run run = Cli.run(
                "audit",
                "--format",
                "json",
                "--resolver",
                "192.0.2.1",
                "--timeout",
                "60s",
                "-o",
                missing.resolve("audit.json").toString(),
                "example.test");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines())
                .containsExactly(
                        missing + ": error: no such directory; create it first, or add --mkdir [output.no-directory]");
        assertThat(missing).doesNotExist();
    }
}
