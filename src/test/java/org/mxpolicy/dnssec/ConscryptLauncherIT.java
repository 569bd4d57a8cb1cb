package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.Launcher;

/**
 * The packaged jar signs with Conscrypt's native library on Java 17 and Java 25 without a word
 * about it, and signs with Bouncy Castle, with a NOTE under {@code --verbose}, when the library
 * cannot be loaded; ldns-verify-zone accepts every output.
 */
class ConscryptLauncherIT {

    private static final String JAVA_25 = "/usr/lib/jvm/temurin-25-jdk-amd64";
    private static final String ZONE_TEXT = """
            $TTL 3600
            example.test. IN SOA ns1.example.test. hostmaster.example.test. 1 7200 3600 1209600 3600
            example.test. IN NS ns1.example.test.
            example.test. IN MX 10 mx1.example.test.
            ns1.example.test. IN A 192.0.2.1
            mx1.example.test. IN A 192.0.2.25
            _25._tcp.mx1.example.test. IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            """;

    @TempDir
    Path dir;

    Path keys;
    Path zone;

    @BeforeEach
    void keysAndZone() throws Exception {
        keys = Files.createDirectory(dir.resolve("keys"));
        zone = dir.resolve("example.test.zone");
        Files.writeString(zone, ZONE_TEXT);
        // ECDSA and RSA: the two algorithms Conscrypt signs.
        Launcher.run("keygen", "--zone", "example.test", "-K", keys.toString()).assertSuccess();
        Launcher.run("keygen", "--algorithm", "RSASHA256", "--zone", "example.test", "-K", keys.toString())
                .assertSuccess();
    }

    /** {@code mxpolicy sign --verbose} through {@code env}, so the runtime and JVM options can be chosen. */
    private ExternalTool.Result sign(Path out, String... environment) {
        List<String> args = new ArrayList<>(List.of(environment));
        args.addAll(List.of(
                Launcher.path(),
                "sign",
                "--verbose",
                "--zone",
                "example.test",
                "-K",
                keys.toString(),
                "-o",
                out.toString(),
                zone.toString()));
        return ExternalTool.require("env").run(args.toArray(String[]::new)).assertSuccess();
    }

    private static void assertLdnsAccepts(Path out) {
        ExternalTool.Result verify = ExternalTool.require("ldns-verify-zone").run(out.toString());
        assertThat(verify.exitCode()).as(verify.stdout() + verify.stderr()).isZero();
    }

    @Test
    void signsOnJava17WithoutNoteOrWarning() throws Exception {
        Path out = dir.resolve("java17.signed");

        ExternalTool.Result run = sign(out);

        assertThat(run.stderr()).contains("written").doesNotContain("NOTE").doesNotContainIgnoringCase("warning");
        assertLdnsAccepts(out);
    }

    @Test
    void signsOnJava25WithoutNoteOrWarning() throws Exception {
        ExternalTool.require(JAVA_25 + "/bin/java");
        Path out = dir.resolve("java25.signed");

        ExternalTool.Result run = sign(out, "JAVA_HOME=" + JAVA_25);

        // Java 22 and later warn about a native library loaded without Enable-Native-Access in the manifest.
        assertThat(run.stderr()).contains("written").doesNotContain("NOTE").doesNotContainIgnoringCase("warning");
        assertLdnsAccepts(out);
    }

    @Test
    void withoutTheNativeLibrarySignsWithBouncyCastleAndSaysSoOnlyWhenVerbose() throws Exception {
        // Conscrypt unpacks its library into this directory before loading it; a plain file cannot hold it.
        Path notADirectory = Files.writeString(dir.resolve("not-a-directory"), "");
        String noLibrary = "JAVA_OPTS=-Dorg.conscrypt.native.workdir=" + notADirectory;
        Path out = dir.resolve("fallback.signed");

        ExternalTool.Result verbose = sign(out, noLibrary);
        Files.delete(out);
        List<String> quiet = new ArrayList<>(List.of(
                noLibrary,
                Launcher.path(),
                "sign",
                "--zone",
                "example.test",
                "-K",
                keys.toString(),
                "-o",
                out.toString(),
                zone.toString()));
        ExternalTool.Result plain =
                ExternalTool.require("env").run(quiet.toArray(String[]::new)).assertSuccess();

        assertThat(verbose.stderr())
                .contains("NOTE: Conscrypt (BoringSSL) does not load on this platform")
                .contains("Bouncy Castle")
                .contains("written");
        assertThat(plain.stderr()).doesNotContain("NOTE").contains("written");
        assertLdnsAccepts(out);
    }
}
