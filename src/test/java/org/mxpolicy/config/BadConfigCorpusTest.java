package org.mxpolicy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;

/**
 * The corpus of bad configs under {@code src/test/resources/config-bad/}: each {@code CASE.yaml}
 * must be rejected, and {@code CASE.expected} holds the first finding exactly as printed. After an
 * intended change of messages, refresh them with
 * {@code ./mvnw test -Dtest=BadConfigCorpusTest -Dgolden.update=true} and review the diff.
 */
class BadConfigCorpusTest {

    private static final Path CORPUS = Path.of("src/test/resources/config-bad");

    static Stream<String> cases() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
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
    void firstFindingIsExactlyTheExpectedLine(String name) throws IOException {
        List<Finding> findings = findingsOf(name + ".yaml");
        String first = findings.get(0).format();
        Path expectedFile = CORPUS.resolve(name + ".expected");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(expectedFile, first + "\n", StandardCharsets.UTF_8);
        }

        assertThat(Files.readAllLines(expectedFile, StandardCharsets.UTF_8).get(0))
                .isEqualTo(first);
        assertThat(findings).as("sorted by position").isSortedAccordingTo(Finding.BY_POSITION);
        assertThat(findings)
                .extracting(Finding::format)
                .as("no exception text in messages")
                .noneMatch(m -> m.contains("Exception") || m.contains("com.fasterxml") || m.contains("org.yaml"));
    }

    @Test
    void everyProblemOfAConfigIsReported() throws IOException {
        assertThat(findingsOf("three-problems.yaml"))
                .extracting(Finding::format)
                .containsExactly(
                        "three-problems.yaml:8:9: error: unknown key 'tsla' under mx host; did you mean 'tlsa'? [config.unknown-key]",
                        "three-problems.yaml:11:12: error: mx pattern 'mx*.example.com' is not valid: a wildcard must be the"
                                + " whole leftmost label and appear once, as in '*.example.net' (RFC 8461 section 4.1)"
                                + " [mta-sts.mx-pattern]",
                        "three-problems.yaml:13:13: error: report URI 'https://reports.example.com/tlsrpt' asks for reports"
                                + " over HTTPS; TR-03108-10-M requires reports by e-mail (mailto:) only: use a mailto: address"
                                + " (or set 'allow_https: true' to publish it anyway) [tlsrpt.https-uri]");
    }

    private static List<Finding> findingsOf(String file) throws IOException {
        try (Reader reader = Files.newBufferedReader(CORPUS.resolve(file), StandardCharsets.UTF_8)) {
            InvalidInputException e =
                    catchThrowableOfType(InvalidInputException.class, () -> ConfigLoader.load(reader, file));
            assertThat(e).as("%s must be rejected", file).isNotNull();
            assertThat(e.findings()).anyMatch(Finding::isError);
            return e.findings();
        }
    }
}
