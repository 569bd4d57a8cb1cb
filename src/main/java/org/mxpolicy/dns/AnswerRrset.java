package org.mxpolicy.dns;

import java.util.List;
import java.util.Optional;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The RRset a response answers a question with, split from its signatures: the records of the
 * asked type at the asked name or, when the answer section holds a CNAME chain (RFC 1034 section
 * 3.6.2), at the end of the chain.
 */
record AnswerRrset(List<Record> records, List<RRSIGRecord> signatures) {

    /** More than this many CNAMEs in one answer is a loop or an attack, not a zone. */
    private static final int MAX_CNAMES = 16;

    static AnswerRrset of(Message response, Name name, int type) {
        List<Record> answer = response.getSection(Section.ANSWER);
        Name owner = name;
        for (int hop = 0; hop <= MAX_CNAMES; hop++) {
            Name at = owner;
            List<Record> records = answer.stream()
                    .filter(r -> r.getType() == type && r.getName().equals(at))
                    .toList();
            if (!records.isEmpty() || type == Type.CNAME) {
                List<RRSIGRecord> signatures = answer.stream()
                        .filter(r -> r instanceof RRSIGRecord sig
                                && sig.getTypeCovered() == type
                                && r.getName().equals(at))
                        .map(RRSIGRecord.class::cast)
                        .toList();
                return new AnswerRrset(records, signatures);
            }
            Optional<Name> target = answer.stream()
                    .filter(r -> r instanceof CNAMERecord && r.getName().equals(at))
                    .map(r -> ((CNAMERecord) r).getTarget())
                    .findFirst();
            if (target.isEmpty()) {
                break;
            }
            owner = target.get();
        }
        return new AnswerRrset(List.of(), List.of());
    }

    /** The serial of the SOA in the answer or, for a negative answer, the authority section. */
    static Optional<Long> soaSerial(Message response) {
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
            for (Record r : response.getSection(section)) {
                if (r instanceof SOARecord soa) {
                    return Optional.of(soa.getSerial());
                }
            }
        }
        return Optional.empty();
    }
}
