package org.mxpolicy.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

class TrustAnchorsTest {

    @Test
    void ianaRootAnchorsAreTheDigestsOfBothRootKsks() throws Exception {
        TrustAnchors root = TrustAnchors.ianaRoot();
        TrustAnchors keys = TrustAnchors.read(
                new StringReader(
                        Files.readString(Path.of("src/test/resources/dns/root-ksk.dnskey"), StandardCharsets.US_ASCII)),
                "root-ksk.dnskey");

        assertThat(root.records()).allSatisfy(r -> {
            assertThat(r).isInstanceOf(DSRecord.class);
            assertThat(r.getName()).isEqualTo(Name.root);
            assertThat(((DSRecord) r).getDigestID()).isEqualTo(DNSSEC.Digest.SHA256);
        });
        assertThat(root.records())
                .extracting(r -> ((DSRecord) r).getFootprint())
                .containsExactly(20326, 38696);
        List<DSRecord> computed = keys.records().stream()
                .map(k -> new DSRecord(Name.root, DClass.IN, 0, DNSSEC.Digest.SHA256, (DNSKEYRecord) k))
                .toList();
        assertThat(root.records()).containsExactlyElementsOf(computed);
    }

    @Test
    void readsDsAndDnskeyLinesWithComments() throws Exception {
        TrustAnchors anchors = TrustAnchors.of(
                List.of(
                        "; the lab zone",
                        "lab.example. IN DS 12345 13 2 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6",
                        "",
                        "lab.example. 3600 IN DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="),
                "anchors.txt");

        assertThat(anchors.records())
                .extracting(Record::getType)
                .containsExactly(org.xbill.DNS.Type.DS, org.xbill.DNS.Type.DNSKEY);
    }

    @Test
    void everyBadLineIsReportedWithItsPosition() {
        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class,
                () -> TrustAnchors.of(
                        List.of(
                                "lab.example. IN DS 12345 13 2 zz",
                                "  lab.example. IN A 192.0.2.1",
                                "lab.example. CH DS 12345 13 2 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6"),
                        "anchors.txt"));

        assertThat(e.findings())
                .extracting(Finding::format)
                .satisfiesExactly(
                        a -> assertThat(a).startsWith("anchors.txt:1:1: error: not a DS or DNSKEY record: "),
                        b -> assertThat(b)
                                .isEqualTo("anchors.txt:2:3: error: a trust anchor is a DS or DNSKEY record, not"
                                        + " 'lab.example. IN A 192.0.2.1' [anchor.type]"),
                        c -> assertThat(c)
                                .isEqualTo(
                                        "anchors.txt:3:1: error: a trust anchor must be of class IN [anchor.class]"));
        assertThat(e.exitCode()).isEqualTo(2);
    }

    @Test
    void aFileWithoutAnchorsIsBadInput() {
        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class, () -> TrustAnchors.of(List.of("; nothing"), "anchors.txt"));

        assertThat(e.getMessage()).isEqualTo("anchors.txt: error: holds no DS or DNSKEY record [anchor.none]");
    }
}
