package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The data an RRSIG signs, RFC 4034 section 3.1.8.1, as BIND and ldns build it. */
class SignedDataTest {

    private static final Name ZONE = Name.fromConstantString("example.");
    private static final Name OWNER = Name.fromConstantString("sig.example.");

    private static RRSIGRecord rrsig(int covered) {
        return new RRSIGRecord(
                OWNER,
                DClass.IN,
                3600,
                covered,
                13,
                3600,
                Instant.ofEpochSecond(0x6b359b00L),
                Instant.ofEpochSecond(0x6955b900L),
                0x3039,
                ZONE,
                new byte[0]);
    }

    @Test
    void aSetOfSigRecordsIsSignedWithTheTypeSigNotTheTypeTheyCover() throws Exception {
        Record data = Record.fromString(
                OWNER,
                Type.SIG,
                DClass.IN,
                3600,
                "NXT 1 3 3600 20261231000000 20260101000000 1 Signer.Example. AQID",
                ZONE);
        RRset rrset = new RRset(data);

        String signed = HexFormat.of().formatHex(SignedData.of(rrsig(Type.SIG), rrset.rrs(false)));

        // RRSIG RDATA without the signature: covered type 24, algorithm 13, 2 labels, TTL, times, tag, signer.
        String rrsigFields =
                "0018" + "0d" + "02" + "00000e10" + "6b359b00" + "6955b900" + "3039" + "076578616d706c6500";
        // RR(1): owner, type SIG (24) where dnsjava writes NXT (30), class, TTL, RDATA with the signer in lower case.
        String rr = "03736967076578616d706c6500" + "0018" + "0001" + "00000e10" + "0025"
                + "001e010300000e106b359b006955b9000001067369676e6572076578616d706c6500010203";
        assertThat(signed).isEqualTo(rrsigFields + rr);
        assertThat(signed).isNotEqualTo(HexFormat.of().formatHex(DNSSEC.digestRRset(rrsig(Type.SIG), rrset)));
    }

    @Test
    void everyOtherSetIsSignedAsDnsjavaSignsIt() throws Exception {
        RRset rrset = new RRset(Record.fromString(OWNER, Type.A, DClass.IN, 3600, "192.0.2.1", ZONE));
        rrset.addRR(Record.fromString(OWNER, Type.A, DClass.IN, 3600, "192.0.2.0", ZONE));

        assertThat(SignedData.of(rrsig(Type.A), rrset.rrs(false))).isEqualTo(DNSSEC.digestRRset(rrsig(Type.A), rrset));
    }

    @Test
    void recordsInAnyOrderAndDuplicatesSignTheSameDataAsTheSet() throws Exception {
        Record one = Record.fromString(OWNER, Type.A, DClass.IN, 3600, "192.0.2.1", ZONE);
        Record zero = Record.fromString(OWNER, Type.A, DClass.IN, 3600, "192.0.2.0", ZONE);
        RRset rrset = new RRset(zero);
        rrset.addRR(one);

        assertThat(SignedData.of(rrsig(Type.A), List.of(one, zero, one)))
                .isEqualTo(DNSSEC.digestRRset(rrsig(Type.A), rrset));
    }
}
