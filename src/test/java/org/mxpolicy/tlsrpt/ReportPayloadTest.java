package org.mxpolicy.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.mxpolicy.testing.ReportCorpus;

class ReportPayloadTest {

    private static final ReportLimits LIMITS = new ReportLimits(1 << 20, 64 * 1024, 256 * 1024, 20, 1000);
    private static final byte[] JSON = ReportCorpus.bytes("rfc8460-appendix-b.json");

    @Test
    void gzipIsRecognisedByItsBytesWhateverTheNameSays() throws Exception {
        assertThat(ReportPayload.json(ReportCorpus.gzip(JSON), "report.json", LIMITS))
                .isEqualTo(JSON);
        assertThat(ReportPayload.json(JSON, "report.json.gz", LIMITS)).isEqualTo(JSON);
    }

    @Test
    void aGzipBombEndsAtTheLimitWithAFinding() {
        byte[] bomb = ReportCorpus.gzip(("{" + " ".repeat(10 * 1024 * 1024) + "}").getBytes(StandardCharsets.US_ASCII));

        assertThat(bomb.length).isLessThan(64 * 1024);
        assertThatThrownBy(() -> ReportPayload.json(bomb, "bomb.json.gz", LIMITS))
                .isInstanceOf(ReportRejectedException.class)
                .hasMessage("bomb.json.gz: decompresses to more than 256 KiB from " + bomb.length
                        + " bytes; refused as a decompression bomb")
                .extracting(e -> ((ReportRejectedException) e).id())
                .isEqualTo("reports.gzip-bomb");
    }

    @Test
    void brokenAndTruncatedGzipAreRefused() {
        byte[] gzip = ReportCorpus.gzip(JSON);
        byte[] truncated = Arrays.copyOf(gzip, gzip.length / 2);
        byte[] corrupt = gzip.clone();
        corrupt[2] = 7; // a compression method other than deflate (RFC 1952 section 2.3.1)

        assertThatThrownBy(() -> ReportPayload.json(truncated, "t.gz", LIMITS))
                .hasMessage("t.gz: the gzip data is truncated");
        assertThatThrownBy(() -> ReportPayload.json(corrupt, "c.gz", LIMITS))
                .hasMessageStartingWith("c.gz: broken gzip data");
    }

    @Test
    void neitherGzipNorJsonIsRefused() {
        assertThatThrownBy(() ->
                        ReportPayload.json("PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1), "r.zip", LIMITS))
                .hasMessage("r.zip: neither gzip nor a JSON object");
        assertThatThrownBy(() -> ReportPayload.json(
                        ReportCorpus.gzip("hello".getBytes(StandardCharsets.US_ASCII)), "h.gz", LIMITS))
                .hasMessage("h.gz: the gzip data does not hold a JSON object");
    }

    @Test
    void anAttachmentOverTheCompressedLimitIsRefusedBeforeDecompressing() {
        assertThatThrownBy(() -> ReportPayload.json(new byte[64 * 1024 + 1], "big.gz", LIMITS))
                .hasMessage("big.gz: the attachment has 65537 bytes, more than the limit of 64 KiB");
    }
}
