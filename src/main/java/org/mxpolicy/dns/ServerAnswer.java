package org.mxpolicy.dns;

import java.util.List;
import java.util.Optional;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;

/**
 * What one authoritative server answered to a non-recursive query with the DO bit set.
 *
 * @param server who was asked
 * @param rcode the response code; meaningless when {@code problem} is present
 * @param authoritative the AA flag
 * @param records the answer RRset (signatures left out); empty for NXDOMAIN and NODATA
 * @param signatures the RRSIGs covering {@code records}
 * @param soaSerial the zone's SOA serial as this server reported it (from the authority section
 *     of a negative answer, or asked separately), when known
 * @param problem timeout, refused, not authoritative, network error; empty when the server answered
 */
public record ServerAnswer(
        NameServer server,
        int rcode,
        boolean authoritative,
        List<Record> records,
        List<RRSIGRecord> signatures,
        Optional<Long> soaSerial,
        Optional<String> problem) {

    public ServerAnswer {
        records = List.copyOf(records);
        signatures = List.copyOf(signatures);
    }

    public boolean answered() {
        return problem.isEmpty();
    }
}
