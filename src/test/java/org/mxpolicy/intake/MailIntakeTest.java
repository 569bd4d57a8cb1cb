package org.mxpolicy.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mxpolicy.testing.MemoryReportStore;
import org.mxpolicy.testing.ReportCorpus;
import org.mxpolicy.tlsrpt.ParseNote;
import org.mxpolicy.tlsrpt.ReportLimits;
import org.mxpolicy.tlsrpt.ReportStoreException;
import org.mxpolicy.tlsrpt.TlsReport;

class MailIntakeTest {

    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");

    @TempDir
    Path dir;

    private final MemoryReportStore store = new MemoryReportStore();

    private MailIntake intake() {
        return new MailIntake(ReportLimits.defaults(), store, new Quarantine(dir.resolve("quarantine"), 1 << 20));
    }

    private TlsReport only() {
        assertThat(store.reports).hasSize(1);
        return store.reports.values().iterator().next().report();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "rfc8460-example.eml, Company-X, 5065427c-23d3-47ca-b6e0-946ea0e8c4be, company-y.example, 303",
        "google-shape.eml, Google LLC, 2026-12-05T00:00:00Z_example.com, example.com, 3",
        "microsoft-shape.eml, Microsoft Corporation, 133800000000000000+example.com, example.com, 10",
        "quirks-application-gzip.eml, Small Mail AG, small-42, example.com, 2",
        "multi-policy-json-body.eml, Mail Provider GmbH, mp-2026-12-06-1, example.com, 5"
    })
    void reportMailsOfEveryShapeAreStored(String mail, String org, String id, String domain, long failed)
            throws Exception {
        IngestResult result = intake().ingest(ReportCorpus.bytes(mail), mail, NOW);

        assertThat(result.stored()).isEqualTo(1);
        assertThat(result.rejections()).isEmpty();
        assertThat(result.quarantined()).isEmpty();
        assertThat(only().organizationName()).isEqualTo(org);
        assertThat(only().reportId()).isEqualTo(id);
        assertThat(only().policies().get(0).policyDomain()).isEqualTo(domain);
        assertThat(only().failedSessions()).isEqualTo(failed);
        assertThat(Files.exists(dir.resolve("quarantine"))).isFalse();
    }

    @Test
    void theStoreKnowsWhereEachReportCameFrom() throws Exception {
        intake().ingest(ReportCorpus.bytes("google-shape.eml"), "stdin", NOW);

        assertThat(store.sources).containsExactly("stdin <9747621.Report@reporter.example>");
    }

    @Test
    void theQuirksOfRealSendersAreNoted() throws Exception {
        IngestResult result = intake().ingest(ReportCorpus.bytes("quirks-application-gzip.eml"), "q", NOW);

        assertThat(result.notes())
                .extracting(ParseNote::path)
                .contains(
                        "contact-info",
                        "policies[0].policy.mx-host",
                        "policies[0].summary.total-successful-session-count",
                        "policies[0].failure-details[0].result-type");
        assertThat(only().policies().get(0).mxHosts()).containsExactly("mx1.example.com", "mx2.example.com");
        assertThat(only().policies().get(0).failures().get(0).receivingMxHostname())
                .contains("mx2.example.com");
    }

    @Test
    void theSameReportTwiceIsStoredOnce() throws Exception {
        intake().ingest(ReportCorpus.bytes("google-shape.eml"), "first", NOW);
        IngestResult again = intake().ingest(ReportCorpus.bytes("google-shape.eml"), "second", NOW);

        assertThat(again.stored()).isZero();
        assertThat(again.duplicates()).isEqualTo(1);
        assertThat(again.rejected()).isFalse();
        assertThat(store.reports).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "bad-not-a-report.eml | no TLS report in the mail: no application/tlsrpt+gzip or application/tlsrpt+json"
                        + " part, and no gzip or JSON attachment",
                "bad-broken-gzip.eml | x!example.com!1!2.json.gz: the gzip data is truncated",
                "bad-gzip-bomb.eml | bomb!example.com!1!2.json.gz: decompresses to more than 50 MiB from 65253 bytes;"
                        + " refused as a decompression bomb",
                "bad-truncated-json.eml | t!example.com!1!2.json.gz: not valid JSON at line 7 column 50: Unexpected"
                        + " end-of-input: expected close marker for Object",
                "bad-wrong-types.eml | w!example.com!1!2.json.gz: policies[0].summary.total-failure-session-count:"
                        + " must be a number of sessions, found an object"
            })
    void aMailThatCanNeverBeAReportIsQuarantinedVerbatimWithOneLineOfReason(String mail, String reason)
            throws Exception {
        byte[] bytes = ReportCorpus.bytes(mail);

        IngestResult result = intake().ingest(bytes, mail, NOW);

        assertThat(result.rejected()).isTrue();
        assertThat(result.rejections()).containsExactly(reason);
        Path kept = result.quarantined().orElseThrow();
        assertThat(Files.readAllBytes(kept)).isEqualTo(bytes);
        Path why = kept.resolveSibling(kept.getFileName().toString().replace(".eml", ".reason"));
        assertThat(Files.readString(why))
                .isEqualTo("reason: " + reason + "\nsource: " + mail + "\nquarantined: 2026-12-07T03:00:00Z\n");
        assertThat(store.reports).isEmpty();
    }

    @Test
    void theSameBadMailTwiceIsQuarantinedOnce() throws Exception {
        intake().ingest(ReportCorpus.bytes("bad-not-a-report.eml"), "a", NOW);
        intake().ingest(ReportCorpus.bytes("bad-not-a-report.eml"), "b", NOW);

        try (var files = Files.list(dir.resolve("quarantine"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".eml")))
                    .hasSize(1);
        }
    }

    @Test
    void aMailOverTheSizeLimitIsQuarantinedWithoutBeingHeldWhole() throws Exception {
        ReportLimits limits = new ReportLimits(64 * 1024, 64 * 1024, 64 * 1024, 20, 100);
        MailIntake small = new MailIntake(limits, store, new Quarantine(dir.resolve("quarantine"), 1 << 20));
        byte[] head = "Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        InputStream big =
                new SequenceInputStream(new ByteArrayInputStream(head), new ByteArrayInputStream(new byte[200_000]));

        IngestResult result = small.ingest(big, "stdin", NOW);

        assertThat(result.rejected()).isTrue();
        assertThat(result.rejections()).containsExactly("the mail is larger than 64 KiB, the limit for a report mail");
        assertThat(Files.size(result.quarantined().orElseThrow())).isEqualTo(head.length + 200_000);
    }

    @Test
    void aMailWithOneGoodAndOneBadReportStoresTheGoodOneAndKeepsTheMail() throws Exception {
        String good = new String(ReportCorpus.bytes("google-shape.eml"), StandardCharsets.US_ASCII);
        String bad = new String(ReportCorpus.bytes("bad-broken-gzip.eml"), StandardCharsets.US_ASCII);
        String badPart =
                bad.substring(bad.indexOf("Content-Type: application/tlsrpt+gzip"), bad.lastIndexOf("------=_Part"));
        String both = good.replace(
                "------=_Part_4711_1234567.1700000000000--",
                "------=_Part_4711_1234567.1700000000000\r\n" + badPart + "------=_Part_4711_1234567.1700000000000--");

        IngestResult result = intake().ingest(both.getBytes(StandardCharsets.US_ASCII), "mixed", NOW);

        assertThat(result.stored()).isEqualTo(1);
        assertThat(result.rejected()).isFalse();
        assertThat(result.rejections()).containsExactly("x!example.com!1!2.json.gz: the gzip data is truncated");
        assertThat(result.quarantined()).isPresent();
    }

    @Test
    void anUnavailableStoreIsATemporaryFailureAndNothingIsQuarantined() {
        store.failing = true;

        assertThatThrownBy(() -> intake().ingest(ReportCorpus.bytes("google-shape.eml"), "stdin", NOW))
                .isInstanceOf(ReportStoreException.class)
                .extracting(e -> ((ReportStoreException) e).exitCode())
                .isEqualTo(75);
        assertThat(Files.exists(dir.resolve("quarantine"))).isFalse();
    }

    @Test
    void aDmarcReportIsNoTlsReport() throws Exception {
        String mail = "From: dmarc@reporter.example\r\nSubject: DMARC\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: application/gzip; name=\"reporter.example!example.com!1!2.xml.gz\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + java.util.Base64.getMimeEncoder()
                        .encodeToString(ReportCorpus.gzip("<feedback/>".getBytes(StandardCharsets.US_ASCII)))
                + "\r\n";

        IngestResult result = intake().ingest(mail.getBytes(StandardCharsets.US_ASCII), "dmarc", NOW);

        assertThat(result.rejected()).isTrue();
        assertThat(result.rejections().get(0)).startsWith("no TLS report in the mail");
    }

    @Test
    void aForwardedReportInsideAMessagePartIsFound() throws Exception {
        String inner = new String(ReportCorpus.bytes("google-shape.eml"), StandardCharsets.US_ASCII);
        String forwarded = "From: admin@example.com\r\nSubject: Fwd: report\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n--outer\r\nContent-Type: text/plain\r\n\r\n"
                + "see below\r\n--outer\r\nContent-Type: message/rfc822\r\n\r\n" + inner + "\r\n--outer--\r\n";

        IngestResult result = intake().ingest(forwarded.getBytes(StandardCharsets.US_ASCII), "fwd", NOW);

        assertThat(result.stored()).isEqualTo(1);
        assertThat(List.copyOf(store.reports.keySet())).containsExactly("Google LLC\n2026-12-05T00:00:00Z_example.com");
    }
}
