package org.mxpolicy.transparency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.InvalidInputException;

class PartnerListTest {

    @Test
    void oneDomainPerLineWithCommentsCaseAndTrailingDotsIgnored() throws InvalidInputException {
        assertThat(PartnerList.read(
                        new StringReader("# partners\nDANE.example.\n\ntls.example  # no DANE yet\ndane.example\n"),
                        "partners.txt"))
                .containsExactly("dane.example", "tls.example");
    }

    @Test
    void everyLineThatIsNoDomainIsReportedWithItsPosition() {
        assertThatThrownBy(() -> PartnerList.read(
                        new StringReader("ok.example\n  <script>.example\nuser@mail.example\n"), "partners.txt"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).findings())
                        .extracting(f -> f.format())
                        .containsExactly(
                                "partners.txt:2:3: error: not a mail domain: '<script>.example' (one domain per line,"
                                        + " # for comments) [partners.not-a-domain]",
                                "partners.txt:3:1: error: not a mail domain: 'user@mail.example' (one domain per line,"
                                        + " # for comments) [partners.not-a-domain]"));
    }

    @Test
    void aBadLineIsQuotedOnOneShortLineWithoutControlCharacters() {
        String text = "example.com\n\u001b]0;owned\u0007\u001b[2Jbadline" + "x".repeat(100_000) + "\n";

        assertThatThrownBy(() -> PartnerList.read(new StringReader(text), "partners.txt"))
                .hasMessageContaining("'?]0;owned??[2Jbadline")
                .hasMessageNotContainingAny("\u001b", "\u0007")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }
}
