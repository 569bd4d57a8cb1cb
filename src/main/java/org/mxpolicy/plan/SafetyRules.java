package org.mxpolicy.plan;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mxpolicy.record.DaneVerification;
import org.mxpolicy.record.TlsaRecord;
import org.mxpolicy.zone.RrsetChange;
import org.mxpolicy.zone.TlsaData;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Rules that refuse a plan which would break delivery, whatever the config says:
 * <ul>
 *   <li>{@code plan.drops-live-tlsa}: removing a TLSA record that matches a certificate in use,
 *       on disk or presented live, would make DANE senders defer mail to that MX (RFC 7671
 *       section 8.1: publish first, retire only after the key is out of use);</li>
 *   <li>{@code plan.mta-sts-id-unchanged}: a policy that changes while the {@code _mta-sts} id
 *       stays is never fetched again by senders that cached the old one (RFC 8461 section 3.1);</li>
 *   <li>{@code plan.tlsrpt-https}: TLS-RPT over https is not allowed (TR-03108-10-M) unless the
 *       config allows it for the domain.</li>
 * </ul>
 */
public final class SafetyRules {

    /** The MTA-STS state of one domain, as far as it is known. */
    @SuppressWarnings("ArrayRecordComponent") // read only; never compared as a whole
    public record PolicyState(
            String domain,
            byte[] desiredBody,
            String desiredId,
            Optional<byte[]> servedBody,
            Optional<String> publishedId) {}

    private final Map<Name, List<List<X509Certificate>>> chainsInUse;
    private final List<PolicyState> policies;
    private final Set<Name> httpsReportsAllowed;

    /**
     * @param chainsInUse per TLSA owner name, the chains (leaf first) its MX serves now: from
     *     disk and as presented live
     * @param policies the MTA-STS state of the domains in the plan
     * @param httpsReportsAllowed {@code _smtp._tls} owner names whose domain allows https reports
     */
    public SafetyRules(
            Map<Name, List<List<X509Certificate>>> chainsInUse,
            List<PolicyState> policies,
            Set<Name> httpsReportsAllowed) {
        this.chainsInUse = Map.copyOf(chainsInUse);
        this.policies = List.copyOf(policies);
        this.httpsReportsAllowed = Set.copyOf(httpsReportsAllowed);
    }

    public List<Refusal> check(List<RrsetChange> changes) {
        List<Refusal> refusals = new ArrayList<>();
        for (RrsetChange change : changes) {
            if (change.type() == Type.TLSA) {
                droppedLiveTlsa(change).ifPresent(refusals::add);
            } else if (change.type() == Type.TXT
                    && change.owner().getLabelString(0).equalsIgnoreCase("_smtp")
                    && !httpsReportsAllowed.contains(change.owner())) {
                httpsReports(change).ifPresent(refusals::add);
            }
        }
        return refusals;
    }

    /** Domains whose served policy differs from the desired one while the published id stays. */
    public List<String> unchangedPolicyIds() {
        List<String> domains = new ArrayList<>();
        for (PolicyState p : policies) {
            boolean bodyChanges = p.servedBody().isPresent()
                    && !java.util.Arrays.equals(p.servedBody().get(), p.desiredBody());
            if (bodyChanges
                    && p.publishedId().isPresent()
                    && p.publishedId().get().equals(p.desiredId())) {
                domains.add(p.domain());
            }
        }
        return domains;
    }

    /** {@link #check} plus the MTA-STS id rule, which is about the zone as a whole. */
    public List<Refusal> check(List<RrsetChange> changes, Name zone) {
        List<Refusal> refusals = check(changes);
        for (String domain : unchangedPolicyIds()) {
            Name owner = Name.fromConstantString("_mta-sts." + domain + ".");
            if (owner.subdomain(zone)) {
                RrsetChange subject = changes.stream()
                        .filter(c -> c.owner().equals(owner))
                        .findFirst()
                        .orElse(null);
                refusals.add(new Refusal(
                        "plan.mta-sts-id-unchanged",
                        subject,
                        "the MTA-STS policy served for " + domain
                                + " differs from the config's, but the _mta-sts id stays the same, so senders that cached the"
                                + " old policy would not fetch the new one; change the id with the policy"));
            }
        }
        return refusals;
    }

    private Optional<Refusal> droppedLiveTlsa(RrsetChange change) {
        Set<Record> kept = new HashSet<>(change.after());
        List<List<X509Certificate>> chains = chainsInUse.getOrDefault(change.owner(), List.of());
        for (Record r : change.before()) {
            if (kept.contains(r)
                    || !(r instanceof TLSARecord tlsa)
                    || TlsaData.of(tlsa).isEmpty()) {
                continue;
            }
            TlsaRecord record = TlsaData.of(tlsa).get();
            for (List<X509Certificate> chain : chains) {
                for (X509Certificate cert : chain) {
                    if (DaneVerification.matches(record, cert)) {
                        return Optional.of(new Refusal(
                                "plan.drops-live-tlsa",
                                change,
                                "the plan removes "
                                        + change.owner() + " TLSA " + record.presentation()
                                        + ", which matches the certificate "
                                        + cert.getSubjectX500Principal().getName()
                                        + " still in use; DANE senders would defer"
                                        + " mail to this MX. Publish the new record, wait two TTLs, switch the certificate,"
                                        + " then remove the old one"));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Refusal> httpsReports(RrsetChange change) {
        for (Record r : change.after()) {
            String text = String.join("", ((TXTRecord) r).getStrings());
            if (text.toLowerCase(java.util.Locale.ROOT).contains("https:")) {
                return Optional.of(new Refusal(
                        "plan.tlsrpt-https",
                        change,
                        change.owner() + " would ask for TLS reports"
                                + " over https; TR-03108-10-M allows only mailto: report addresses"));
            }
        }
        return Optional.empty();
    }
}
