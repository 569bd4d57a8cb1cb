package org.mxpolicy.zone;

import java.util.HexFormat;
import java.util.Locale;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

/**
 * The presentation form (RFC 1035 section 5.1) of records as mxpolicy writes them: absolute
 * owner names, lower-case hex in TLSA data (dnsjava writes upper case), dnsjava's quoting
 * for TXT.
 */
public final class RecordText {

    private RecordText() {}

    /** The owner name, absolute and lower case. */
    public static String owner(Record record) {
        return record.getName().toString().toLowerCase(Locale.ROOT);
    }

    public static String type(Record record) {
        return Type.string(record.getType());
    }

    /** The RDATA in presentation form. */
    public static String rdata(Record record) {
        if (record instanceof TLSARecord tlsa) {
            return tlsa.getCertificateUsage() + " " + tlsa.getSelector() + " " + tlsa.getMatchingType() + " "
                    + HexFormat.of().formatHex(tlsa.getCertificateAssociationData());
        }
        return record.rdataToString();
    }

    /** A whole record on one line: owner, TTL, class, type, RDATA, separated by single spaces. */
    public static String line(Record record) {
        return owner(record) + " " + record.getTTL() + " IN " + type(record) + " " + rdata(record);
    }
}
