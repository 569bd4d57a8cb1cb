package org.mxpolicy.dnssec;

import java.util.Arrays;
import java.util.List;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;

/**
 * The data an RRSIG signs (RFC 4034 section 3.1.8.1): the RRSIG RDATA without its signature, then
 * each RR of the set in canonical form and order (section 6.3: sorted by RDATA, duplicates once).
 * Built here rather than with dnsjava's {@code DNSSEC.digestRRset}: that takes an {@code RRset},
 * whose {@code addRR} looks for duplicates record by record (quadratic in the size of the set), and
 * for a SIG RRset it writes the type the SIG records cover where RR(i) has the type SIG (24), so
 * mxpolicy would sign, and check, other data than BIND and ldns.
 */
final class SignedData {

    private SignedData() {}

    /** @param records the RRset, in any order, possibly with duplicates; all of one owner, type and class */
    static byte[] of(RRSIGRecord sig, List<Record> records) {
        DNSOutput out = new DNSOutput();
        out.writeU16(sig.getTypeCovered());
        out.writeU8(sig.getAlgorithm());
        out.writeU8(sig.getLabels());
        out.writeU32(sig.getOrigTTL());
        out.writeU32(sig.getExpire().getEpochSecond());
        out.writeU32(sig.getTimeSigned().getEpochSecond());
        out.writeU16(sig.getFootprint());
        sig.getSigner().toWireCanonical(out);
        if (records.isEmpty()) {
            return out.toByteArray();
        }

        // A wildcard expansion is signed under the wildcard's name (RFC 4035 section 5.3.2).
        Record first = records.get(0);
        Name owner = first.getName();
        int labels = sig.getLabels() + 1;
        if (owner.labels() > labels) {
            owner = owner.wild(owner.labels() - labels);
        }
        DNSOutput header = new DNSOutput();
        owner.toWireCanonical(header);
        header.writeU16(first.getType());
        header.writeU16(first.getDClass());
        header.writeU32(sig.getOrigTTL());
        byte[] head = header.toByteArray();
        byte[][] rdata = new byte[records.size()][];
        for (int i = 0; i < rdata.length; i++) {
            rdata[i] = records.get(i).rdataToWireCanonical();
        }
        Arrays.sort(rdata, Arrays::compareUnsigned);
        for (int i = 0; i < rdata.length; i++) {
            if (i > 0 && Arrays.equals(rdata[i - 1], rdata[i])) {
                continue;
            }
            out.writeByteArray(head);
            out.writeU16(rdata[i].length);
            out.writeByteArray(rdata[i]);
        }
        return out.toByteArray();
    }
}
