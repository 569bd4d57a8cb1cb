package org.mxpolicy.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.VerificationFailedException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/** The written text of a signed zone is read back before it is written. */
class TextRoundTripTest {

    private static final Name ORIGIN = Name.fromConstantString("example.com.");

    private static List<Record> zone(Record extra) throws Exception {
        List<Record> records = new ArrayList<>(
                ZoneFileReader.read(new ByteArrayInputStream("""
                example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600
                Mixed.example.com. 600 IN LOC 40 0 0 S 105 0 0 E -9978.85m
                max.example.com. 600 IN LOC 40 N 105 W 42849672.95m
                svc.example.com. 600 IN SVCB 1 . alpn="h1\\\\,h2,h3"
                """.getBytes(StandardCharsets.UTF_8)), "z", ORIGIN));
        if (extra != null) {
            records.add(extra);
        }
        return records;
    }

    @Test
    void aZoneThatReadsBackIsWrittenAsRenderedBefore() throws Exception {
        List<Record> records = zone(null);

        assertThat(ZoneText.renderReadBack(ORIGIN, records, "out.zone")).isEqualTo(ZoneText.renderVerified(records));
    }

    /** As "-9978.85m" was written "-9978.-85m": text another record than the one signed. */
    @Test
    void aRecordWrittenAsOtherDataIsNamedAndNothingIsWritten() throws Exception {
        Record changed = new TXTRecord(Name.fromConstantString("txt.example.com."), DClass.IN, 300, "signed") {
            @Override
            protected String rrToString() {
                return "\"written\"";
            }
        };

        assertThatThrownBy(() -> ZoneText.renderReadBack(ORIGIN, zone(changed), "out.zone"))
                .isInstanceOf(VerificationFailedException.class)
                .satisfies(e -> assertThat(((VerificationFailedException) e).findings())
                        .extracting(Finding::format)
                        .containsExactly("out.zone: error: txt.example.com. TXT \\# 7 067369676e6564 is written as"
                                + " 'txt.example.com. 300 IN TXT \"written\"', which reads back as txt.example.com. TXT"
                                + " \\# 8 077772697474656e [sign.read-back]"));
    }

    @Test
    void aRecordWrittenAsTextThatDoesNotParseIsNamedWithItsLine() throws Exception {
        Record unreadable = new TXTRecord(Name.fromConstantString("txt.example.com."), DClass.IN, 300, "signed") {
            @Override
            protected String rrToString() {
                return "\"unterminated";
            }
        };

        List<Finding> findings = TextRoundTrip.differences(
                ZoneText.renderVerified(zone(unreadable)),
                ZoneText.verifiedBody(ZoneText.renderVerified(zone(unreadable))),
                zone(unreadable),
                ORIGIN,
                "out.zone");

        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).id()).isEqualTo("sign.read-back");
        assertThat(findings.get(0).message()).startsWith("the signed zone as written does not read back:");
        assertThat(findings.get(0).position().line()).isPositive();
    }
}
