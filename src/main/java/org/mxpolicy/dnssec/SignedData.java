package org.mxpolicy.dnssec;

import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The data an RRSIG signs (RFC 4034 section 3.1.8.1): the RRSIG RDATA without its signature, then
 * each RR of the set in canonical form and order. dnsjava 3.7.0's {@link DNSSEC#digestRRset} is
 * right for every type but SIG: it writes the type a SIG record covers ({@code RRset.getType}) where
 * RR(i) has the type SIG (24), so mxpolicy would sign, and check, other data than BIND and ldns.
 * For a SIG RRset the data is built here; every other set goes to dnsjava.
 */
final class SignedData {

    private SignedData() {}

    static byte[] of(RRSIGRecord sig, RRset rrset) {
        List<Record> records = rrset.rrs(false);
        if (records.isEmpty() || records.get(0).getType() != Type.SIG) {
            return DNSSEC.digestRRset(sig, rrset);
        }
        DNSOutput out = new DNSOutput();
        out.writeU16(sig.getTypeCovered());
        out.writeU8(sig.getAlgorithm());
        out.writeU8(sig.getLabels());
        out.writeU32(sig.getOrigTTL());
        out.writeU32(sig.getExpire().getEpochSecond());
        out.writeU32(sig.getTimeSigned().getEpochSecond());
        out.writeU16(sig.getFootprint());
        sig.getSigner().toWireCanonical(out);

        // A wildcard expansion is signed under the wildcard's name (RFC 4035 section 5.3.2).
        Name owner = rrset.getName();
        int labels = sig.getLabels() + 1;
        if (owner.labels() > labels) {
            owner = owner.wild(owner.labels() - labels);
        }
        DNSOutput header = new DNSOutput();
        owner.toWireCanonical(header);
        header.writeU16(Type.SIG);
        header.writeU16(rrset.getDClass());
        header.writeU32(sig.getOrigTTL());
        byte[] head = header.toByteArray();
        records.stream()
                .map(Record::rdataToWireCanonical)
                .sorted(Arrays::compareUnsigned)
                .forEachOrdered(rdata -> {
                    out.writeByteArray(head);
                    out.writeU16(rdata.length);
                    out.writeByteArray(rdata);
                });
        return out.toByteArray();
    }
}
