package org.mxpolicy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.Reader;
import java.io.StringReader;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;

/** Huge and endless configs end in one short finding, quickly; huge values are quoted shortened. */
class ConfigInputLimitsTest {

    /** A guard against a parse that never ends, not a speed test: generous for a loaded machine. */
    private static InvalidInputException rejected(Reader reader) {
        return assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> catchThrowableOfType(InvalidInputException.class, () -> ConfigLoader.load(reader, "big.yaml")));
    }

    @Test
    void aHugeSingleValueIsRefusedBySizeBeforeParsing() {
        String config = "zones:\n  example.com: {}\ncomment: \"" + "a".repeat(4 * 1024 * 1024) + "\"\n";

        InvalidInputException e = rejected(new StringReader(config));

        assertThat(e.findings())
                .extracting(Finding::format)
                .containsExactly(
                        "big.yaml: error: larger than 1 MiB, the limit for a config file; is it the right file? [config.size]");
    }

    @Test
    void anEndlessInputEndsAtTheLimit() {
        Reader endless = new Reader() {
            @Override
            public int read(char[] buffer, int offset, int length) {
                java.util.Arrays.fill(buffer, offset, offset + length, '#');
                return length;
            }

            @Override
            public void close() {}
        };

        assertThat(rejected(endless).findings()).extracting(Finding::id).containsExactly("config.size");
    }

    @Test
    void aConfigOfExactlyTheLimitIsParsed() {
        String head = "zones:\n  example.com: {}\n";
        String config = head + "#".repeat(ConfigLoader.SIZE_LIMIT.maxBytes() - head.length() - 1) + "\n";

        InvalidInputException e = rejected(new StringReader(config));

        assertThat(e.findings()).extracting(Finding::id).doesNotContain("config.size");
    }

    @Test
    void messagesQuoteAtMostEightyCharactersOfAValue() {
        String longKey = "k".repeat(900);
        String longName = "x".repeat(300_000) + ".example";
        String config = "zones:\n  example.com: {}\n" + longKey + ": 1\ndomains:\n  - name: " + longName + "\n";

        InvalidInputException e = rejected(new StringReader(config));

        assertThat(e.findings())
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.format()).hasSizeLessThan(400));
        assertThat(e.findings())
                .extracting(Finding::message)
                .anySatisfy(m -> assertThat(m).startsWith("unknown key '" + "k".repeat(80) + "...'"));
    }
}
