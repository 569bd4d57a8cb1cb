package org.mxpolicy.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;

class ZoneFragmentTest {

    private static Name name(String s) throws Exception {
        return Name.fromString(s);
    }

    @Test
    void recordsComeOutInCanonicalOrderWhateverOrderTheyGoIn() throws Exception {
        List<Record> records = new ArrayList<>(List.of(
                new TXTRecord(name("_smtp._tls.example.com."), DClass.IN, 3600, "v=TLSRPTv1; rua=mailto:a@example.com"),
                new TXTRecord(name("_mta-sts.example.com."), DClass.IN, 3600, "v=STSv1; id=1"),
                new TLSARecord(name("_25._tcp.mx1.example.com."), DClass.IN, 600, 3, 1, 1, new byte[32]),
                new TLSARecord(name("_25._tcp.mx1.example.com."), DClass.IN, 600, 2, 1, 1, new byte[32]),
                new TXTRecord(
                        name("_smtp._tls.MX1.example.com."), DClass.IN, 3600, "v=TLSRPTv1; rua=mailto:a@example.com")));
        List<String> expected = null;
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(records, random);
            List<String> lines = new ZoneFragment(name("example.com."), records)
                    .records().stream().map(RecordText::line).toList();
            if (expected == null) {
                expected = lines;
            }
            assertThat(lines).isEqualTo(expected);
        }
        // RFC 4034 section 6.1: compare labels from the right; "_mta-sts" < "_smtp" < "mx1" (underscore 0x5f < 'm').
        assertThat(expected)
                .extracting(l -> l.split(" ")[0])
                .containsExactly(
                        "_mta-sts.example.com.",
                        "_smtp._tls.example.com.",
                        "_25._tcp.mx1.example.com.",
                        "_25._tcp.mx1.example.com.",
                        "_smtp._tls.mx1.example.com.");
        assertThat(expected.get(2)).contains("TLSA 2 1 1");
    }

    @Test
    void duplicateRecordsAppearOnce() throws Exception {
        Record r = new TXTRecord(name("_mta-sts.example.com."), DClass.IN, 3600, "v=STSv1; id=1");

        assertThat(new ZoneFragment(name("example.com."), List.of(r, r)).records())
                .hasSize(1);
    }

    @Test
    void recordsOutsideTheZoneAreABug() throws Exception {
        Record r = new TXTRecord(name("_mta-sts.example.net."), DClass.IN, 3600, "v=STSv1; id=1");

        assertThatThrownBy(() -> new ZoneFragment(name("example.com."), List.of(r)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tlsaDataIsWrittenInLowerCaseHex() throws Exception {
        byte[] data = new byte[32];
        data[0] = (byte) 0xAB;
        Record r = new TLSARecord(name("_25._tcp.mx.example.com."), DClass.IN, 600, 3, 1, 1, data);

        assertThat(RecordText.rdata(r)).isEqualTo("3 1 1 ab" + "00".repeat(31));
    }
}
