package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mxpolicy.testing.Cli;

/**
 * The corpus of bad inputs under {@code src/test/resources/bad-inputs/}: each {@code CASE.yaml}
 * is run through {@code mxpolicy generate}; {@code CASE.expected} holds the exit code on its
 * first line and the first line of stderr on its second.
 */
class BadInputTest {

    private static final Path CORPUS = Path.of("src/test/resources/bad-inputs");

    static Stream<String> cases() throws IOException {
        try (var files = Files.list(CORPUS)) {
            return files
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - ".yaml".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputGivesExitCodeAndOneClearLine(String name) throws IOException {
        List<String> expected = Files.readAllLines(CORPUS.resolve(name + ".expected"), StandardCharsets.UTF_8);

        Cli.Run run = Cli.run("generate", "-c", CORPUS.resolve(name + ".yaml").toString());

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(Integer.parseInt(expected.get(0)));
        assertThat(run.firstErrorLine()).isEqualTo(expected.get(1));
        assertThat(run.stdout()).as("nothing half-written to stdout").isEmpty();
        assertThat(run.stderr())
                .as("no stack trace without --verbose")
                .doesNotContain("\tat ")
                .doesNotContain("Exception");
    }

    @Test
    void everyProblemOfAConfigIsReportedInOneRun() {
        Cli.Run run =
                Cli.run("generate", "-c", CORPUS.resolve("three-problems.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines())
                .hasSizeGreaterThanOrEqualTo(3)
                .allMatch(l -> l.startsWith(CORPUS.resolve("three-problems.yaml") + ":"));
    }

    @Test
    void aConfigErrorAndAnUnreadableCertificateAreReportedInTheSameRun() {
        String config = CORPUS.resolve("schema-and-cert.yaml").toString();

        Cli.Run run = Cli.run("generate", "-c", config);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines())
                .containsExactly(
                        config + ":7:15: error: cannot read " + CORPUS.resolve("files/missing.pem")
                                + ": no such file [input.unreadable]",
                        config + ":8:9: error: unknown key 'tsla' under mx host; did you mean 'tlsa'?"
                                + " [config.unknown-key]");
    }

    @Test
    void verboseAddsTheStackTrace() {
        Cli.Run run = Cli.run(
                "generate",
                "--verbose",
                "-c",
                CORPUS.resolve("cert-garbage.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("\tat ");
    }

    @Test
    void missingConfigNamesTheFile() {
        Cli.Run run = Cli.run("generate", "-c", "no/such/provider.yaml");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).isEqualTo("no/such/provider.yaml: error: no such file [input.unreadable]");
    }

    @Test
    void usageErrorsAreOneLineWithExitCode2() {
        Cli.Run run = Cli.run("generate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines())
                .containsExactly(
                        "mxpolicy generate: Missing required option: '--config=CONFIG' (see 'mxpolicy generate --help')");
    }

    @Test
    void tlsaRefusesUsagesZeroAndOneForSmtp() {
        Cli.Run run = Cli.run("tlsa", "--cert", "examples/certs/mx1.example.com/fullchain.pem", "--usage", "1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).contains("--usage 1").contains("RFC 7672");
        assertThat(run.stdout()).isEmpty();
    }

    /** An endless file ends in one line naming it and its limit, never in running out of memory. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "generate -c /dev/zero",
                "tlsa --cert /dev/zero",
                "verify --zone example.com /dev/zero",
                "sign --zone example.com -K . /dev/zero"
            })
    void anEndlessInputIsRefusedWithItsLimit(String command) {
        Cli.Run run = Cli.run(command.split(" "));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.errorLines())
                .singleElement()
                .asString()
                .startsWith("/dev/zero: error: larger than ")
                .contains(", the limit for a ");
    }
}
