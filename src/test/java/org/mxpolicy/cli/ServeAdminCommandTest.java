package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxpolicy.files.AdminFiles;
import org.mxpolicy.server.AdminPasswords;
import org.mxpolicy.testing.Cli;

/** {@code serve}'s admin listener as the command line and the config set it up. */
class ServeAdminCommandTest {

    private static final Path EXAMPLES = Path.of("examples").toAbsolutePath();

    @Test
    void offLoopbackWithoutPasswordsServeRefusesToStartInOneLine() {
        Cli.Run run = Cli.run(
                "serve",
                "-c",
                EXAMPLES.resolve("provider.yaml").toString(),
                "--listen",
                "127.0.0.1:0",
                "--admin",
                "0.0.0.0:0",
                "--no-watch");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().lines().filter(l -> l.contains("admin listener")))
                .containsExactly("mxpolicy: the admin listener on 0.0.0.0:0 is not on loopback, so it needs TLS"
                        + " and passwords: set serve.admin_tls_certificate, serve.admin_tls_key and"
                        + " serve.admin_password_file in the config, or listen on 127.0.0.1");
    }

    @Test
    void hashPasswordPrintsALineThePasswordFileAccepts(@TempDir Path dir) throws Exception {
        InputStream stdin = System.in;
        Cli.Run run;
        try {
            System.setIn(new ByteArrayInputStream("s3cret pass\n".getBytes(StandardCharsets.UTF_8)));
            run = Cli.run("serve", "--hash-password", "ops");
        } finally {
            System.setIn(stdin);
        }
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).startsWith("ops:$2y$12$").doesNotContain("s3cret");
        Path file = dir.resolve("admin.passwd");
        Files.writeString(file, run.stdout());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        AdminPasswords passwords = AdminFiles.passwords(file);
        assertThat(passwords.accepts(Optional.of("Basic "
                        + Base64.getEncoder().encodeToString("ops:s3cret pass".getBytes(StandardCharsets.UTF_8)))))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-rw-rw-", "rw-r--r--", "rw----r--"})
    void aPasswordFileOthersMayWriteOrReadIsNotTrusted(String mode, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("admin.passwd");
        Files.writeString(file, "ops:$2b$05$abcdefghijklmnopqrstuu/ETYr/khvH.poOJBsjjZk.DM9FaNihe\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AdminFiles.passwords(file))
                .isInstanceOf(org.mxpolicy.finding.InvalidInputException.class)
                .satisfies(e -> assertThat(((org.mxpolicy.finding.InvalidInputException) e)
                                .findings()
                                .get(0)
                                .id())
                        .isEqualTo(AdminFiles.PASSWORD_TRUST));
    }
}
