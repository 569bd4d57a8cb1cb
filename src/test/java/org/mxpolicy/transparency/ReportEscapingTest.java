package org.mxpolicy.transparency;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Whatever a log holds reaches the page as text: a recipient domain or a cipher name with markup
 * in it is escaped by the template's HTML output format, never interpreted.
 */
class ReportEscapingTest {

    @Test
    void markupInALogShowsAsText() throws IOException {
        String log = TransparencyReportFixture.LOG
                + "Dec  7 13:00:00 mail postfix/smtp[106]: Untrusted TLS connection established to"
                + " mx.evil.example[192.0.2.66]:25: TLSv1.2 with cipher <script>alert(1)</script> (256/256 bits)\n"
                + "Dec  7 13:00:01 mail postfix/smtp[106]: 5AAAAAAAAA: to=<x@evil.example<img src=x onerror=alert(2)>,"
                + " relay=mx.evil.example[192.0.2.66]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 Ok)\n";

        String html = ReportHtml.render(TransparencyReportFixture.report(log, true));

        assertThat(html)
                .doesNotContain("<script")
                .doesNotContain("<img")
                .contains("<th scope=\"row\">evil.example&lt;img src=x onerror=alert(2)</th>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    }
}
