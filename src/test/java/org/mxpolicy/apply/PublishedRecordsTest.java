package org.mxpolicy.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.history.HistoryException;
import org.mxpolicy.history.PublicationHistory;
import org.mxpolicy.history.RecordSet;
import org.mxpolicy.history.RecordSetSource;
import org.mxpolicy.history.RecordSetVersion;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;

class PublishedRecordsTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final String POLICY =
            "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmax_age: 604800\r\n";

    private static final ZoneFragment ZONE = new ZoneFragment(
            Name.fromConstantString("example.com."),
            List.of(
                    tlsa("_25._tcp.mx1.example.com.", "bb"),
                    tlsa("_25._tcp.mx1.example.com.", "aa"),
                    tlsa("_443._tcp.mta-sts.example.com.", "cc"),
                    txt("_mta-sts.example.com.", "v=STSv1; id=20261120T100000;"),
                    txt("_smtp._tls.example.com.", "v=TLSRPTv1; rua=mailto:tlsrpt@example.com")));

    @Test
    void theTlsaSetsOfPort25TheStsIdsAndThePoliciesTheyNameAreRecorded() {
        List<RecordSet> recorded = new ArrayList<>();
        PublicationHistory history = new PublicationHistory() {
            @Override
            public void record(Collection<RecordSet> sets, RecordSetSource source, Instant at) {
                assertThat(source).isEqualTo(RecordSetSource.PUBLISHED);
                assertThat(at).isEqualTo(NOW);
                recorded.addAll(sets);
            }

            @Override
            public List<RecordSetVersion> versions(Collection<String> subjects) {
                return List.of();
            }
        };
        PublishedRecords published = new PublishedRecords(Optional.of(() -> history), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(published.record(List.of(ZONE), Map.of("example.com", POLICY, "example.org", POLICY)))
                .isEmpty();

        assertThat(recorded)
                .containsExactlyInAnyOrder(
                        new RecordSet(
                                org.mxpolicy.history.RecordSetKind.TLSA,
                                "mx1.example.com",
                                "3 1 1 " + "aa".repeat(32) + "\n3 1 1 " + "bb".repeat(32)),
                        RecordSet.stsId("example.com", "20261120T100000"),
                        RecordSet.stsPolicy("example.com", POLICY));
    }

    @Test
    void aHistoryThatCannotBeWrittenIsAProblemToShowNotAFailure() {
        PublishedRecords published = new PublishedRecords(
                Optional.of(() -> {
                    throw new HistoryException("the store is down", new IllegalStateException());
                }),
                Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(published.record(List.of(ZONE), Map.of()))
                .contains("published, but not recorded in the history: the store is down");
        assertThat(new PublishedRecords(Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC))
                        .record(List.of(ZONE), Map.of()))
                .isEmpty();
    }

    private static TLSARecord tlsa(String owner, String hexByte) {
        return new TLSARecord(
                Name.fromConstantString(owner),
                DClass.IN,
                3600,
                3,
                1,
                1,
                HexFormat.of().parseHex(hexByte.repeat(32)));
    }

    private static TXTRecord txt(String owner, String text) {
        return new TXTRecord(Name.fromConstantString(owner), DClass.IN, 3600, text);
    }
}
