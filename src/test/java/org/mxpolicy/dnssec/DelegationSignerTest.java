package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class DelegationSignerTest {

    private static final Name ZONE = Name.fromConstantString("example.com.");

    /** The DS that {@code dnssec-dsfromkey -2} printed for the fixture, recorded next to it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.mxpolicy.dnssec.KeyFixtures#all")
    void dsEqualsWhatDnssecDsfromkeyPrinted(String fixture) throws Exception {
        ZoneKey key = KeyFixtures.read(fixture);
        String tool = fixture.substring(0, fixture.indexOf('/'));

        DSRecord ds = DelegationSigner.ds(key);

        String line =
                key.zone() + " IN DS " + key.keyTag() + " " + key.algorithm().number() + " 2 "
                        + HexFormat.of().withUpperCase().formatHex(ds.getDigest());
        assertThat(KeyFixtures.recordedDs(tool)).contains(line);
        assertThat(ds.getDigestID()).isEqualTo(2);
        assertThat(ds.getDigest()).hasSize(32);
        assertThat(ds.getTTL()).isEqualTo(key.dnskey().getTTL());
    }

    @Test
    void cdsIsTheDsAndCdnskeyTheDnskeyUnderTheirOwnTypes() {
        ZoneKey key = KeyFixtures.seededGenerator(1).generate(ZONE, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_KSK);

        DSRecord ds = DelegationSigner.ds(key, 600);
        CDSRecord cds = DelegationSigner.cds(key, 600);
        CDNSKEYRecord cdnskey = DelegationSigner.cdnskey(key, 600);

        assertThat(cds.getType()).isEqualTo(Type.CDS);
        assertThat(cds.rdataToString()).isEqualTo(ds.rdataToString());
        assertThat(cdnskey.getType()).isEqualTo(Type.CDNSKEY);
        assertThat(cdnskey.rdataToString()).isEqualTo(key.dnskey().rdataToString());
        assertThat(List.of(ds.getTTL(), cds.getTTL(), cdnskey.getTTL())).containsOnly(600L);
        assertThat(List.<Record>of(ds, cds, cdnskey))
                .extracting(Record::getName)
                .containsOnly(ZONE);
    }

    @Test
    void onlySecureEntryPointsGetDelegationRecordsGroupedByTypeInKeyOrder() {
        ZoneKey zsk = KeyFixtures.seededGenerator(2).generate(ZONE, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_ZSK);
        ZoneKey ed = KeyFixtures.seededGenerator(3).generate(ZONE, DnssecAlgorithm.ED25519, ZoneKey.FLAGS_KSK);
        ZoneKey ec = KeyFixtures.seededGenerator(4).generate(ZONE, DnssecAlgorithm.ECDSAP256SHA256, ZoneKey.FLAGS_KSK);

        List<Record> records = DelegationSigner.delegationRecords(List.of(ed, zsk, ec), 3600);

        assertThat(records)
                .extracting(Record::getType)
                .containsExactly(Type.DS, Type.DS, Type.CDS, Type.CDS, Type.CDNSKEY, Type.CDNSKEY);
        assertThat(((DSRecord) records.get(0)).getFootprint()).isEqualTo(ec.keyTag());
        assertThat(((DSRecord) records.get(1)).getFootprint()).isEqualTo(ed.keyTag());
        assertThat(DelegationSigner.secureEntryPoints(List.of(zsk))).isEmpty();
    }
}
