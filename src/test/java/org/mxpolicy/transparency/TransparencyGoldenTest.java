package org.mxpolicy.transparency;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.mxpolicy.files.JsonLayout;
import org.mxpolicy.testing.GoldenFiles;

/** The HTML and JSON of a fixed report, held still by reviewed golden files. */
class TransparencyGoldenTest {

    @Test
    void html() throws IOException {
        GoldenFiles.assertMatches(
                "transparency/report.html", ReportHtml.render(TransparencyReportFixture.report(true)));
    }

    @Test
    void json() throws IOException {
        GoldenFiles.assertMatches(
                "transparency/report.json",
                ReportJson.render(TransparencyReportFixture.report(true), JsonLayout.WRITER));
    }

    @Test
    void theVerdictsOfTheFixtureAreTheGuidelines() throws IOException {
        TransparencyReport report = TransparencyReportFixture.report(false);

        assertThat(report.partners())
                .extracting(
                        e -> e.verdict().domain() + " " + e.verdict().meets().state() + " dane="
                                + e.verdict().dane().state() + " tls="
                                + e.verdict().tls().state())
                .containsExactly(
                        "dane.example MET dane=MET tls=MET",
                        // authenticated, but CBC with SHA-1 is outside TR-03116-4
                        "old.example NOT_MET dane=MET tls=NOT_MET",
                        "plain.example NOT_MET dane=NOT_MET tls=NOT_MET",
                        "tls.example NOT_MET dane=NOT_MET tls=MET");
        assertThat(report.meeting()).isEqualTo(1);
        assertThat(report.changed()).extracting(e -> e.verdict().domain()).containsExactly("tls.example");
    }
}
