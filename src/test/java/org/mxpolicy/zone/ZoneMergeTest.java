package org.mxpolicy.zone;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

class ZoneMergeTest {

    private static final Name ZONE = Name.fromConstantString("example.com.");

    private static Name name(String s) {
        return Name.fromConstantString(s);
    }

    @Test
    void ownedRrsetsReplaceTheBaseZonesAndEverythingElseStays() throws Exception {
        List<Record> base = List.of(
                new TXTRecord(name("_MTA-STS.example.com."), DClass.IN, 300, "v=STSv1; id=old"),
                new TXTRecord(name("_mta-sts.example.com."), DClass.IN, 300, "v=STSv1; id=older"),
                new ARecord(name("_mta-sts.example.com."), DClass.IN, 300, java.net.InetAddress.getByName("192.0.2.1")),
                new TXTRecord(name("other.example.com."), DClass.IN, 300, "kept"));
        ZoneFragment owned = new ZoneFragment(
                ZONE,
                List.of(
                        new TXTRecord(name("_mta-sts.example.com."), DClass.IN, 3600, "v=STSv1; id=new"),
                        new TXTRecord(
                                name("_smtp._tls.example.com."),
                                DClass.IN,
                                3600,
                                "v=TLSRPTv1; rua=mailto:r@example.com")));

        List<Record> merged = ZoneMerge.merge(ZONE, base, owned);

        assertThat(merged)
                .extracting(ZoneText::line)
                .containsExactly(
                        "_mta-sts.example.com. 300 IN A 192.0.2.1",
                        "other.example.com. 300 IN TXT kept",
                        "_mta-sts.example.com. 3600 IN TXT \"v=STSv1; id=new\"",
                        "_smtp._tls.example.com. 3600 IN TXT \"v=TLSRPTv1; rua=mailto:r@example.com\"");
    }
}
