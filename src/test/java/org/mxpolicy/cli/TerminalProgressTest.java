package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TerminalProgressTest {

    @Test
    void printsWhenThePercentageRisesIgnoresLateCallsAndEndsTheLineAtOneHundred() {
        StringWriter err = new StringWriter();
        TerminalProgress progress = new TerminalProgress(new PrintWriter(err));

        progress.advanced("signing example.org", 45_000, 100_000);
        progress.advanced("signing example.org", 45_001, 100_000);
        progress.advanced("signing example.org", 100_000, 100_000);
        progress.advanced("signing example.org", 99_999, 100_000);
        progress.advanced("verifying example.org", 1, 1);

        assertThat(err.toString())
                .isEqualTo("\rsigning example.org: 45% (45,000/100,000 RRsets)"
                        + "\rsigning example.org: 100% (100,000/100,000 RRsets)" + System.lineSeparator()
                        + "\rverifying example.org: 100% (1/1 RRsets)" + System.lineSeparator());
    }
}
