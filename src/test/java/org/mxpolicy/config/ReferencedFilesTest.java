package org.mxpolicy.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.finding.Finding;

/** The files a config names are checked when it is loaded, each at the config line that names it. */
class ReferencedFilesTest {

    private static final String CONFIG = """
            zones:
              example.com:
                update:
                  server: 192.0.2.53
                  key: tsig.key
            domains:
              - name: example.com
                mx:
                  - host: mx1.example.com
                    cert: mx1.pem
            """;

    @TempDir
    Path dir;

    private UserPrincipal me;

    @BeforeEach
    void files() throws Exception {
        me = ReferencedFiles.effectiveUser().orElseThrow();
        Files.writeString(dir.resolve("mx1.pem"), "-----BEGIN CERTIFICATE-----\n");
        Path key = Files.writeString(
                dir.resolve("tsig.key"), "key \"k\" { algorithm hmac-sha256; secret \"c2VjcmV0\"; };\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    private java.util.List<String> problems() throws Exception {
        ProviderConfig config =
                ConfigLoader.load(new StringReader(CONFIG), "c.yaml").config();
        return ReferencedFiles.check(config, dir, me).stream()
                .map(Finding::format)
                .toList();
    }

    @Test
    void filesInOrderAreNoProblem() throws Exception {
        assertThat(problems()).isEmpty();
    }

    @Test
    void aMissingKeyAndCertificateAreReportedAtTheirConfigLines() throws Exception {
        Files.delete(dir.resolve("tsig.key"));
        Files.delete(dir.resolve("mx1.pem"));

        assertThat(problems())
                .containsExactly(
                        "c.yaml:5:12: error: " + dir.resolve("tsig.key") + ": no such file [config.file]",
                        "c.yaml:10:15: error: " + dir.resolve("mx1.pem") + ": no such file [config.file]");
    }

    @Test
    void aKeyReadableByTheGroupIsRefused() throws Exception {
        Files.setPosixFilePermissions(dir.resolve("tsig.key"), PosixFilePermissions.fromString("rw-r-----"));

        assertThat(problems())
                .containsExactly("c.yaml:5:12: error: " + dir.resolve("tsig.key")
                        + ": holds a secret but is readable by group or others; run: chmod 600 '"
                        + dir.resolve("tsig.key")
                        + "' [config.secret-file]");
    }

    @Test
    void aKeyOwnedByAnotherUserIsRefused() throws Exception {
        UserPrincipal other =
                dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(dir.resolve("tsig.key"), other);

        assertThat(problems())
                .singleElement()
                .asString()
                .startsWith("c.yaml:5:12: error: " + dir.resolve("tsig.key")
                        + ": holds a secret but is owned by nobody, not by " + me.getName()
                        + " (the user mxpolicy runs as)")
                .endsWith("[config.secret-file]");
    }

    @Test
    void aDirectoryWhereAKeyBelongsIsRefused() throws Exception {
        Files.delete(dir.resolve("tsig.key"));
        Files.createDirectory(dir.resolve("tsig.key"));

        assertThat(problems())
                .containsExactly("c.yaml:5:12: error: " + dir.resolve("tsig.key")
                        + ": is a directory, not a file [config.file]");
    }
}
