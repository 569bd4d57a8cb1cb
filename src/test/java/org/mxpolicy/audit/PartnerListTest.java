package org.mxpolicy.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.InvalidInputException;

class PartnerListTest {

    @Test
    void oneDomainALineWithCommentsAndBlankLines() throws Exception {
        String text = "# partners\nexample.com\n\n  Example.NET.   # the other one\r\nexample.com\n";

        assertThat(PartnerList.read(text, "partners.txt")).containsExactly("example.com", "example.net");
    }

    @Test
    void everyBadLineIsReportedWithItsPosition() {
        String text = "example.com\n  two domains.example\nlocalhost\nbad..example\n";

        assertThatThrownBy(() -> PartnerList.read(text, "partners.txt"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).findings())
                        .extracting(f -> f.position().toString())
                        .containsExactly("partners.txt:2:3", "partners.txt:3:1", "partners.txt:4:1"));
    }

    @Test
    void aListWithoutDomainIsBadInput() {
        assertThatThrownBy(() -> PartnerList.read("# nothing yet\n", "p.txt"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("names no domain");
    }

    @Test
    void aBadLineIsQuotedOnOneShortLineWithoutControlCharacters() {
        String text = "example.com\n\u001b]0;owned\u0007\u001b[2Jbad\rline" + "x".repeat(100_000) + "\n";

        assertThatThrownBy(() -> PartnerList.read(text, "partners.txt"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).findings())
                        .singleElement()
                        .satisfies(f -> assertThat(f.format())
                                .hasSizeLessThan(300)
                                .doesNotContain("\u001b", "\u0007", "\r", "\n")
                                .contains("?]0;owned??[2Jbad?line")));
    }
}
