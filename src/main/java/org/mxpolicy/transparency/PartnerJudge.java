package org.mxpolicy.transparency;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.mxpolicy.transparency.Assessment.State;

/**
 * Decides per partner whether it meets TR-03108 as a receiving provider: DANE (05-M, the
 * guideline's mandatory authentication of MX hosts) and STARTTLS per TR-03116-4 (03-M). MTA-STS
 * (07-R) is recommended only and DNSSEC is part of DANE: both are shown, neither decides. Pure:
 * the audit's findings and the log's tallies in, verdicts out.
 */
public final class PartnerJudge {

    private PartnerJudge() {}

    /**
     * The verdicts, sorted by domain. With a partner list ({@code partners} not empty) exactly
     * those partners are judged, the log adding its evidence to theirs; without one, every domain
     * the log delivered to is a partner.
     */
    public static List<PartnerVerdict> judge(
            List<String> partners, Map<String, PartnerFindings> audited, Map<String, PartnerTraffic> traffic) {
        TreeSet<String> domains = new TreeSet<>(partners);
        if (partners.isEmpty()) {
            domains.addAll(traffic.keySet());
        }
        List<PartnerVerdict> verdicts = new ArrayList<>();
        for (String domain : domains) {
            verdicts.add(
                    judge(domain, Optional.ofNullable(audited.get(domain)), Optional.ofNullable(traffic.get(domain))));
        }
        return verdicts;
    }

    static PartnerVerdict judge(String domain, Optional<PartnerFindings> audited, Optional<PartnerTraffic> traffic) {
        Assessment notAudited = Assessment.notChecked("not audited");
        Assessment notLogged = Assessment.notChecked("no log read");
        Assessment dane = Assessment.combine(
                audited.map(PartnerFindings::dane).orElse(notAudited),
                traffic.map(PartnerJudge::daneFromLog).orElse(notLogged));
        Assessment tls = Assessment.combine(
                audited.map(PartnerFindings::tls).orElse(notAudited),
                traffic.map(PartnerJudge::tlsFromLog).orElse(notLogged));
        Assessment mtaSts = audited.map(PartnerFindings::mtaSts).orElse(notAudited);
        Assessment dnssec = audited.map(PartnerFindings::dnssec).orElse(notAudited);
        return new PartnerVerdict(domain, meets(dane, tls), dane, tls, mtaSts, dnssec, traffic);
    }

    private static Assessment meets(Assessment dane, Assessment tls) {
        if (dane.state() == State.MET && tls.state() == State.MET) {
            return Assessment.met("DANE and TLS per TR-03116-4");
        }
        List<String> missing = new ArrayList<>();
        if (dane.state() == State.NOT_MET) {
            missing.add("DANE");
        }
        if (tls.state() == State.NOT_MET) {
            missing.add("TLS per TR-03116-4");
        }
        if (!missing.isEmpty()) {
            return Assessment.notMet("without " + String.join(" and ", missing));
        }
        return Assessment.unknown("not enough evidence");
    }

    /**
     * Postfix logs "Verified" only for a connection authenticated as its policy asks: with
     * {@code smtp_tls_security_level = dane}, by the partner's TLSA records.
     */
    static Assessment daneFromLog(PartnerTraffic traffic) {
        long total = traffic.deliveredTotal();
        if (total == 0) {
            return Assessment.unknown("no delivery accepted in the log" + deferred(traffic));
        }
        long verified = traffic.deliveredAt(TlsLevel.VERIFIED);
        if (verified == total) {
            return Assessment.met(count(total) + " authenticated (Verified)");
        }
        return Assessment.notMet(verified + " of " + count(total) + " authenticated (Verified)");
    }

    static Assessment tlsFromLog(PartnerTraffic traffic) {
        long total = traffic.deliveredTotal();
        if (total == 0) {
            return Assessment.unknown("no delivery accepted in the log" + deferred(traffic));
        }
        long plaintext = traffic.deliveredAt(TlsLevel.PLAINTEXT);
        if (plaintext > 0) {
            return Assessment.notMet(plaintext + " of " + count(total) + " without TLS");
        }
        String sessions = String.join(", ", traffic.sessions());
        if (traffic.outsideProfile() > 0) {
            return Assessment.notMet(traffic.outsideProfile() + " of " + count(total) + " with TLS outside TR-03116-4 ("
                    + sessions + ")");
        }
        return Assessment.met(count(total) + " with TLS per TR-03116-4 (" + sessions + ")");
    }

    private static String count(long deliveries) {
        return deliveries + (deliveries == 1 ? " delivery" : " deliveries");
    }

    private static String plural(long n) {
        return n == 1 ? "" : "s";
    }

    private static String deferred(PartnerTraffic traffic) {
        return traffic.notDelivered() == 0
                ? ""
                : " (" + traffic.notDelivered() + " deferred or bounced attempt" + plural(traffic.notDelivered()) + ")";
    }
}
