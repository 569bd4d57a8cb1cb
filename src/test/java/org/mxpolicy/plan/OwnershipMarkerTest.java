package org.mxpolicy.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class OwnershipMarkerTest {

    private static final Name OWNER = Name.fromConstantString("_mta-sts.example.test.");
    private static final Name MARKER = Name.fromConstantString("_mxpolicy._mta-sts.example.test.");

    @Test
    void theMarkerHasANameOfItsOwnBelowTheOwner() {
        assertThat(OwnershipMarker.name(OWNER)).isEqualTo(MARKER);
        assertThat(OwnershipMarker.ownerOf(MARKER)).isEqualTo(OWNER);
        assertThat(OwnershipMarker.isMarker(MARKER)).isTrue();
        assertThat(OwnershipMarker.isMarker(OWNER)).isFalse();
    }

    @Test
    void theTextNamesTheOwnerIdAndTheTypesInTypeOrder() {
        OwnershipMarker marker = new OwnershipMarker("mail-1", new TreeSet<>(Set.of(Type.TXT, Type.TLSA)));

        assertThat(marker.text()).isEqualTo("v=mxpolicy1 owner=mail-1 types=TXT,TLSA");
        assertThat(OwnershipMarker.parse(marker.text())).contains(marker);
        assertThat(OwnershipMarker.parse("v=STSv1; id=1")).isEmpty();
        assertThat(OwnershipMarker.parse("v=mxpolicy1 owner=x types=NOSUCHTYPE"))
                .isEmpty();
    }

    @Test
    void onlyTheRecordOfThisOwnerIdIsReplacedOthersStay() {
        List<Record> served = List.of(
                new TXTRecord(MARKER, DClass.IN, 600, "v=mxpolicy1 owner=other types=TXT"),
                new TXTRecord(MARKER, DClass.IN, 600, "v=mxpolicy1 owner=mail-1 types=TXT,SRV"));

        List<Record> next = OwnershipMarker.rrset(OWNER, served, "mail-1", Set.of(Type.TXT), 300);

        assertThat(next)
                .containsExactly(
                        new TXTRecord(MARKER, DClass.IN, 600, "v=mxpolicy1 owner=other types=TXT"),
                        new TXTRecord(MARKER, DClass.IN, 600, "v=mxpolicy1 owner=mail-1 types=TXT"));
        assertThat(OwnershipMarker.rrset(OWNER, served, "mail-1", Set.of(), 300))
                .containsExactly(new TXTRecord(MARKER, DClass.IN, 600, "v=mxpolicy1 owner=other types=TXT"));
    }

    @Test
    void ownedAreTheTypesOfThisOwnerIdOnly() {
        Map<Name, List<Record>> markers = Map.of(
                MARKER,
                List.of(
                        new TXTRecord(MARKER, DClass.IN, 600, "v=mxpolicy1 owner=other types=SRV"),
                        new TXTRecord(MARKER, DClass.IN, 600, "v=mxpolicy1 owner=mail-1 types=TXT")));

        assertThat(OwnershipMarker.owned(markers, "mail-1")).containsExactly(new RrsetKey(OWNER, Type.TXT));
    }

    @Test
    void aMarkerClaimingTypesMxpolicyNeverPublishesOwnsOnlyThoseItDoes() {
        Map<Name, List<Record>> markers = Map.of(
                MARKER,
                List.of(new TXTRecord(MARKER, DClass.IN, 600, "v=mxpolicy1 owner=mail-1 types=NS,MX,TXT,CNAME")));

        assertThat(OwnershipMarker.owned(markers, "mail-1")).containsExactly(new RrsetKey(OWNER, Type.TXT));
    }
}
