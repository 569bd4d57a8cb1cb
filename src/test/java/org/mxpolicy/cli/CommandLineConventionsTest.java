package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxpolicy.files.AtomicFiles;
import org.mxpolicy.testing.Cli;
import org.mxpolicy.testing.ExternalTool;
import picocli.CommandLine;

class CommandLineConventionsTest {

    @ParameterizedTest
    @MethodSource("everyCommand")
    void everyCommandHasHelpWithExamples(String command) {
        Cli.Run run = Cli.run((command + " --help").split(" "));

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("Usage: mxpolicy " + command).contains("Examples:");
        assertThat(run.stderr()).isEmpty();
    }

    /** Every command and subcommand, as the user types it: {@code generate}, {@code rollover status}. */
    static Stream<String> everyCommand() {
        CommandLine root = new CommandLine(new MxpolicyCommand(), new ClockFactory(Clock.systemUTC()));
        root.addSubcommand("completion", new CompletionCommand());
        return commandsUnder(root, "");
    }

    private static Stream<String> commandsUnder(CommandLine parent, String prefix) {
        return parent.getSubcommands().entrySet().stream()
                .filter(e -> !e.getKey().equals("help"))
                .flatMap(e -> Stream.concat(
                        Stream.of(prefix + e.getKey()), commandsUnder(e.getValue(), prefix + e.getKey() + " ")));
    }

    @Test
    void theCommandListCoversSubcommands() {
        assertThat(everyCommand()).contains("generate", "rollover", "rollover status", "rollover now", "completion");
    }

    @Test
    void versionNamesTheProgram() {
        Cli.Run run = Cli.run("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).startsWith("mxpolicy ");
    }

    @Test
    void completionScriptIsValidBash(@TempDir Path dir) throws Exception {
        Cli.Run run = Cli.run("completion");
        Path script = dir.resolve("mxpolicy.bash");
        Files.writeString(script, run.stdout(), StandardCharsets.UTF_8);

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("complete -F").contains("generate").contains("tlsa");
        ExternalTool.require("bash").run("-n", script.toString()).assertSuccess();
    }

    @Test
    void tlsaPrintsZoneFileLinesForTheLeafAndForEachIssuer() {
        String chain = "examples/certs/mx1.example.com/fullchain.pem";

        Cli.Run ee = Cli.run("tlsa", "--cert", chain);
        Cli.Run ta = Cli.run("tlsa", "--cert", chain, "--usage", "2", "--matching", "2");

        assertThat(ee.exitCode()).as(ee.stderr()).isZero();
        assertThat(ee.stdout()).matches("_25\\._tcp\\.mx1\\.example\\.com\\. 600 IN TLSA 3 1 1 [0-9a-f]{64}\n");
        assertThat(ta.stdout()).matches("_25\\._tcp\\.mx1\\.example\\.com\\. 600 IN TLSA 2 1 2 [0-9a-f]{128}\n");
    }

    @Test
    void tlsaUsage2WithoutIssuerInTheFileExplainsWhatToGive() {
        Cli.Run run = Cli.run("tlsa", "--cert", "examples/certs/mx1.example.com/cert.pem", "--usage", "2");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).contains("fullchain.pem").contains("[tlsa.no-issuer]");
    }

    @Test
    void tlsaForAHostTheCertificateDoesNotCoverIsRefused() {
        Cli.Run run =
                Cli.run("tlsa", "--cert", "examples/certs/mx1.example.com/fullchain.pem", "--host", "mx2.example.com");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).contains("not valid for mx2.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*.x", "*.example.com", "mx1..example.com", "mx_1.example.com"})
    void tlsaRefusesHostsThatAreNoHostNames(String host) {
        Cli.Run run = Cli.run("tlsa", "--cert", "examples/certs/mx1.example.com/fullchain.pem", "--host", host);

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.errorLines()).hasSize(1);
        assertThat(run.firstErrorLine()).contains("--host '" + host + "' is not a valid host name");
        if (host.startsWith("*")) {
            assertThat(run.firstErrorLine()).contains("a wildcard is no MX host name");
        }
    }

    @Test
    void noCommandPrintsTheUsageToStderrAndExits2() {
        Cli.Run run = Cli.run();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).startsWith("Usage: mxpolicy").contains("generate");
    }

    @Test
    void aMistypedCommandSuggestsTheNearestInOneLine() {
        Cli.Run typo = Cli.run("genrate", "-c", "examples/provider.yaml");
        Cli.Run sub = Cli.run("rollover", "stauts");
        Cli.Run unknown = Cli.run("frobnicate");

        for (Cli.Run run : java.util.List.of(typo, sub, unknown)) {
            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
            assertThat(run.stdout()).isEmpty();
            assertThat(run.errorLines()).hasSize(1);
        }
        assertThat(typo.firstErrorLine())
                .isEqualTo("mxpolicy: unknown command 'genrate'; did you mean generate? (see 'mxpolicy --help')");
        assertThat(sub.firstErrorLine()).contains("unknown command 'stauts'; did you mean status?");
        assertThat(unknown.firstErrorLine())
                .contains("unknown command 'frobnicate'")
                .doesNotContain("did you mean");
    }

    @Test
    void anOutputDirectoryThatIsAFileIsRefusedBeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
        Path blocked = dir.resolve("out");
        Files.writeString(blocked, "a file where the output directory should be");

        Cli.Run run = Cli.run("generate", "-c", "examples/provider.yaml", "-o", blocked.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines()).containsExactly(blocked + ": error: not a directory [output.not-writable]");
        assertThat(Files.readString(blocked)).isEqualTo("a file where the output directory should be");
        assertThat(AtomicFiles.leftovers(dir)).isEmpty();
    }

    @Test
    void writingSeveralFilesReplacesAllOrNone(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("a.zone");
        Path bad = dir.resolve("sub/b.zone");
        Files.writeString(good, "old");
        Files.writeString(dir.resolve("sub"), "not a directory");

        var files = new java.util.LinkedHashMap<Path, byte[]>();
        files.put(good, "new".getBytes(StandardCharsets.UTF_8));
        files.put(bad, "new".getBytes(StandardCharsets.UTF_8));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AtomicFiles.write(files, AtomicFiles.PUBLIC))
                .isInstanceOf(AtomicFiles.WriteFailedException.class);
        assertThat(Files.readString(good)).isEqualTo("old");
        assertThat(AtomicFiles.leftovers(dir)).isEmpty();
    }

    /** Many files are staged by several threads; one that cannot be written still means none is. */
    @Test
    void writingManyFilesReplacesAllOrNoneToo(@TempDir Path dir) throws Exception {
        var files = new java.util.LinkedHashMap<Path, byte[]>();
        for (int i = 0; i < 500; i++) {
            Path file = dir.resolve("zone" + i + ".zone");
            Files.writeString(file, "old");
            files.put(file, ("new " + i).getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve("sub"), "not a directory");
        var withBad = new java.util.LinkedHashMap<>(files);
        withBad.put(dir.resolve("sub/b.zone"), "new".getBytes(StandardCharsets.UTF_8));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AtomicFiles.write(withBad, AtomicFiles.PUBLIC))
                .isInstanceOf(AtomicFiles.WriteFailedException.class);
        for (Path file : files.keySet()) {
            assertThat(Files.readString(file)).isEqualTo("old");
        }
        assertThat(AtomicFiles.leftovers(dir)).isEmpty();

        var outcomes = AtomicFiles.write(files, AtomicFiles.PUBLIC);
        assertThat(outcomes.keySet()).containsExactlyElementsOf(files.keySet());
        assertThat(outcomes.values()).containsOnly(AtomicFiles.Outcome.WRITTEN);
        assertThat(Files.readString(dir.resolve("zone499.zone"))).isEqualTo("new 499");
        assertThat(AtomicFiles.leftovers(dir)).isEmpty();
    }
}
