package org.mxpolicy.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuotingTest {

    @Test
    void valuesAreQuotedUpToEightyCharacters() {
        assertThat(Quoting.quote("mx1.example.com")).isEqualTo("'mx1.example.com'");
        assertThat(Quoting.quote("x".repeat(1000))).isEqualTo("'" + "x".repeat(80) + "...'");
    }

    @Test
    void longQuotedValuesInAParserMessageAreCut() {
        String message = "Unrecognized token '" + "t".repeat(256) + "': was expecting 'null', 'true' or 'false'";

        assertThat(Quoting.shortenQuoted(message))
                .isEqualTo("Unrecognized token '" + "t".repeat(80) + "...': was expecting 'null', 'true' or 'false'");
    }
}
