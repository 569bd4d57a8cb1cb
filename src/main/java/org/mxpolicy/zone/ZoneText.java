package org.mxpolicy.zone;

import java.util.HexFormat;
import java.util.List;
import org.mxpolicy.dnssec.Nsec3Hasher;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A whole zone as master file text: one record a line, absolute owner names in lower case,
 * records in the order given (the caller's canonical order). DS and CDS digests in lower-case hex
 * like TLSA data, NSEC3 hashes in lower-case base32hex like the NSEC3 owner names; the other
 * DNSSEC types in dnsjava's presentation form, which BIND, Knot and ldns all read.
 */
public final class ZoneText {

    private ZoneText() {}

    public static String render(List<Record> records) {
        StringBuilder sb = new StringBuilder(records.size() * 120);
        for (Record r : records) {
            sb.append(line(r)).append('\n');
        }
        return sb.toString();
    }

    /** One record; {@link RecordText#line} with lower-case DS/CDS digests. */
    public static String line(Record record) {
        if (record instanceof DSRecord ds) {
            // CDSRecord extends DSRecord
            return RecordText.owner(record) + " " + record.getTTL() + " IN " + RecordText.type(record) + " "
                    + ds.getFootprint() + " " + ds.getAlgorithm() + " " + ds.getDigestID() + " "
                    + HexFormat.of().formatHex(ds.getDigest());
        }
        if (record instanceof NSEC3Record nsec3) {
            StringBuilder sb = new StringBuilder(RecordText.owner(record)).append(' ').append(record.getTTL())
                    .append(" IN NSEC3 ").append(nsec3.getHashAlgorithm()).append(' ').append(nsec3.getFlags()).append(' ')
                    .append(nsec3.getIterations()).append(' ')
                    .append(nsec3.getSalt() == null ? "-" : HexFormat.of().formatHex(nsec3.getSalt())).append(' ')
                    .append(Nsec3Hasher.base32hex(nsec3.getNext()));
            for (int type : nsec3.getTypes()) {
                sb.append(' ').append(Type.string(type));
            }
            return sb.toString();
        }
        return RecordText.line(record);
    }
}
