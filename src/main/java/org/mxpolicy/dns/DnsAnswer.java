package org.mxpolicy.dns;

import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The answer to one question, with what DNSSEC validation made of it.
 *
 * @param name the question's name
 * @param type the question's type
 * @param rcode the response code ({@link Rcode}); meaningless when {@code security} is FAILED
 * @param security the validation outcome
 * @param records the answer RRset for {@code name}/{@code type} (CNAMEs followed, signatures
 *     left out); empty for NXDOMAIN and NODATA
 * @param signatures the RRSIGs covering {@code records}, when the server sent them
 * @param problem why the lookup failed or is bogus, for messages; empty otherwise
 */
public record DnsAnswer(
        Name name,
        int type,
        int rcode,
        Security security,
        List<Record> records,
        List<RRSIGRecord> signatures,
        Optional<String> problem) {

    /** What validation made of an answer (RFC 4033 section 5). */
    public enum Security {
        /** Validated from a trust anchor. */
        SECURE,
        /** Provably unsigned (an insecure delegation on the way). */
        INSECURE,
        /** Should be signed but does not validate. */
        BOGUS,
        /** No usable answer: timeout, SERVFAIL, refused, network error. */
        FAILED
    }

    public DnsAnswer {
        records = List.copyOf(records);
        signatures = List.copyOf(signatures);
    }

    /** NOERROR with at least one record. */
    public boolean hasRecords() {
        return security != Security.FAILED && rcode == Rcode.NOERROR && !records.isEmpty();
    }

    public String question() {
        return name + " " + Type.string(type);
    }
}
