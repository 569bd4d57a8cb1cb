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
    void theKeysOfAZoneWithAKeyPolicyAreReadFromItsKeyFilesWithoutThePrivateKeys(@TempDir Path dir) throws Exception {
        Path keys = Files.createDirectory(dir.resolve("keys"));
        assertThat(org.mxpolicy.testing.Cli.run("keygen", "--zone", "example.com", "-K", keys.toString())
                        .exitCode())
                .isZero();
        assertThat(org.mxpolicy.testing.Cli.run("keygen", "--zone", "example.com", "-K", keys.toString(), "--ksk")
                        .exitCode())
                .isZero();
        org.mxpolicy.config.ProviderConfig config = org.mxpolicy.config.ConfigLoader.load(
                        new java.io.StringReader("""
                                zones:
                                  example.com:
                                    nameservers: [ "192.0.2.53:53" ]
                                    sign: { zone_file: example.com.zone, output: example.com.zone.signed, keys: keys }
                                    dnssec: { keys: ksk+zsk, zsk_lifetime: 90d, ksk_lifetime: never }
                                  example.org: {}
                                domains:
                                  - name: example.com
                                    mx: [{ host: mx1.example.com, cert: mx1.pem }]
                                """), "test.yaml")
                .config();
        StatusFiles files = new StatusFiles(dir.resolve("check.json"), Optional.empty())
                .withKeys(new StatusFiles.KeyZones(dir, dir.resolve("state"), config.zones()));
        java.time.Instant now = java.time.Instant.now();

        org.mxpolicy.status.ZoneKeys zone = files.keys("example.com", now).orElseThrow();

        assertThat(zone.seen()).as("no keys run yet").isEmpty();
        assertThat(zone.keys()).hasSize(2).allSatisfy(k -> {
            // managed: the .private file's presence counts as a private key
            assertThat(k.status().phase()).isEqualTo(org.mxpolicy.keyroll.KeyPhase.ACTIVE);
            assertThat(k.events())
                    .extracting(org.mxpolicy.status.ZoneKeys.Event::what)
                    .containsExactly("publish", "activate");
        });
        assertThat(files.keys("example.org", now)).as("no key policy").isEmpty();
        assertThat(files.keys("example.net", now))
                .as("not a zone of the config")
                .isEmpty();

        // the private key files are not opened: one that could not be read as a key changes nothing
        try (var privates = Files.newDirectoryStream(keys, "*.private")) {
            for (Path p : privates) {
                Files.writeString(p, "not a private key");
            }
        }
        assertThat(files.keys("example.com", now).orElseThrow().keys()).hasSize(2);
    }

    @Test
    void aHostNameThatCannotBeAStateDirectoryHasNoRolloverState(@TempDir Path dir) throws Exception {
        StatusFiles files = new StatusFiles(dir.resolve("check.json"), Optional.of(dir));
        assertThat(files.rollover("../etc")).isEmpty();
        assertThat(files.rollover("mx1.example.com")).isEmpty();
    }
}
