package org.mxpolicy.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.status.AuditRun;
import org.mxpolicy.status.StatusModel;

class StatusFilesTest {

    private static final Path SMALL = Path.of("src/test/resources/status/check-small.json");
    private static final Path AUDIT = Path.of("src/test/resources/status/audit-small.json");

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
    void theAuditIsReadOncePerChangeOfTheFileWithItsTime(@TempDir Path dir) throws Exception {
        Path audit = dir.resolve("audit.json");
        StatusFiles files = new StatusFiles(dir.resolve("check.json"), Optional.empty(), Optional.of(audit));
        assertThat(files.audit()).isEmpty();

        Files.copy(AUDIT, audit);
        java.time.Instant written = java.time.Instant.parse("2026-12-07T18:00:00Z");
        Files.setLastModifiedTime(audit, java.nio.file.attribute.FileTime.from(written));
        AuditRun first = files.audit().orElseThrow();
        assertThat(first.writtenAt()).isEqualTo(written);
        assertThat(first.domain("example.net").orElseThrow().row("05-M").verdict())
                .isEqualTo("fail");
        assertThat(files.audit().orElseThrow()).isSameAs(first);

        // the audit job writes a new file and renames it over the old one
        Path next = dir.resolve("audit.json.new");
        Files.writeString(next, Files.readString(AUDIT).replace("partner.example", "partner.test"));
        Files.move(next, audit, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        AuditRun second = files.audit().orElseThrow();
        assertThat(second).isNotSameAs(first);
        assertThat(second.domain("partner.test")).isPresent();

        Files.writeString(audit, "{\"domains\": [{\"domain\": \"a.example\",\n \"status\": 7}]}");
        assertThatThrownBy(files::audit)
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(
                        audit
                                + ": error: not the JSON of mxpolicy audit: domain a.example has no requirements table [status.audit-json]");
        Files.writeString(audit, "{\"domains\": [\n  {]}");
        assertThatThrownBy(files::audit).hasMessageStartingWith(audit + ":2:4: error: not JSON");
        Files.delete(audit);
        assertThat(files.audit()).isEmpty();
    }

    @Test
    void withoutAnAuditFileConfiguredThereIsNoAudit(@TempDir Path dir) throws Exception {
        Files.copy(AUDIT, dir.resolve("audit.json"));
        assertThat(new StatusFiles(dir.resolve("check.json"), Optional.empty()).audit())
                .isEmpty();
    }

    @Test
    void aHostNameThatCannotBeAStateDirectoryHasNoRolloverState(@TempDir Path dir) throws Exception {
        StatusFiles files = new StatusFiles(dir.resolve("check.json"), Optional.of(dir));
        assertThat(files.rollover("../etc")).isEmpty();
        assertThat(files.rollover("mx1.example.com")).isEmpty();
    }
}
