package org.mxpolicy.apply;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mxpolicy.check.MtaStsTxt;
import org.mxpolicy.history.HistoryException;
import org.mxpolicy.history.PublicationHistory;
import org.mxpolicy.history.RecordSet;
import org.mxpolicy.history.RecordSetSource;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * What {@code publish --apply} and the rollover published, kept in the history the TLS report
 * summary explains failures against: the TLSA RRset of each MX host ({@code _25._tcp.<host>}),
 * the {@code _mta-sts} id of each domain, and the MTA-STS policy that id names.
 *
 * @param history opens the history; empty when the config keeps no reports (and so no history)
 */
public record PublishedRecords(Optional<Opener> history, Clock clock) {

    /** Opens the history; the caller closes it. */
    @FunctionalInterface
    public interface Opener {
        PublicationHistory open() throws HistoryException;
    }

    /** Owner prefix of the TLSA records of SMTP on port 25 (RFC 7672 section 2.2). */
    private static final String SMTP_TLSA = "_25._tcp.";

    private static final String MTA_STS = "_mta-sts.";

    /**
     * Records the record sets of {@code zones}, and the policy texts (by domain) of
     * {@code policies} whose {@code _mta-sts} record is among them, as published now. Publishing has succeeded when this
     * runs, so a history that cannot be written is a problem to show, not a failure.
     *
     * @return the problem, if the history could not be written
     */
    public Optional<String> record(List<ZoneFragment> zones, Map<String, String> policies) {
        if (history.isEmpty()) {
            return Optional.empty();
        }
        List<RecordSet> sets = recordSets(zones, policies);
        if (sets.isEmpty()) {
            return Optional.empty();
        }
        try (PublicationHistory open = history.get().open()) {
            open.record(sets, RecordSetSource.PUBLISHED, clock.instant());
            return Optional.empty();
        } catch (HistoryException e) {
            return Optional.of("published, but not recorded in the history: " + e.getMessage());
        }
    }

    /** The record sets of the zones the history keeps, and the policies their ids name. */
    static List<RecordSet> recordSets(List<ZoneFragment> zones, Map<String, String> policies) {
        List<RecordSet> sets = new ArrayList<>();
        Set<String> stsDomains = new LinkedHashSet<>();
        for (ZoneFragment zone : zones) {
            for (List<Record> rrset : zone.rrsets()) {
                Record first = rrset.get(0);
                String owner = RecordSet.name(first.getName().toString());
                if (first.getType() == Type.TLSA && owner.startsWith(SMTP_TLSA)) {
                    sets.add(RecordSet.tlsa(
                            owner.substring(SMTP_TLSA.length()),
                            rrset.stream().map(Record::rdataToString).toList()));
                } else if (first.getType() == Type.TXT && owner.startsWith(MTA_STS)) {
                    String domain = owner.substring(MTA_STS.length());
                    for (Record r : rrset) {
                        String text = String.join("", ((TXTRecord) r).getStrings());
                        if (text.startsWith("v=STSv1")) {
                            MtaStsTxt.id(text).ifPresent(id -> {
                                sets.add(RecordSet.stsId(domain, id));
                                stsDomains.add(domain);
                            });
                        }
                    }
                }
            }
        }
        policies.forEach((domain, text) -> {
            if (stsDomains.contains(RecordSet.name(domain)) && !text.isBlank()) {
                sets.add(RecordSet.stsPolicy(domain, text));
            }
        });
        return sets;
    }
}
