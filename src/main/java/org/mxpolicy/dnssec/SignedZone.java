package org.mxpolicy.dnssec;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * A signed zone and what signing it took.
 *
 * @param origin the apex
 * @param records every record, in canonical order: owner names as RFC 4034 section 6.1 orders
 *     them, then type, then RDATA
 * @param serial the SOA serial
 * @param unchanged true when the zone equals the previous signed zone, which keeps its serial
 * @param signaturesMade RRSIGs made in this run
 * @param signaturesKept RRSIGs taken over from the previous signed zone
 */
public record SignedZone(
        Name origin, List<Record> records, long serial, boolean unchanged, int signaturesMade, int signaturesKept) {

    public SignedZone {
        records = List.copyOf(records);
    }
}
