package org.mxpolicy.cert;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.MessageText;
import org.mxpolicy.finding.SourcePosition;

/**
 * Checks of the certificate an MX host presents. DANE-EE (usage 3) ignores names and dates
 * (RFC 7672 section 3.1.1), but MTA-STS senders and DANE-TA (usage 2) check both, so a
 * certificate that fails them is a problem for part of the senders.
 */
public final class LeafChecks {

    /** Fewer days left than this is worth a warning: ACME clients renew 30 days ahead. */
    public static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    private LeafChecks() {}

    /**
     * Checks the leaf of a chain.
     *
     * @param host the MX host name the certificate must cover
     * @param now the time to check validity against
     * @param where the place in the config that names the certificate file
     * @return an error when the host is not covered; warnings for expired, not yet valid or
     *     soon expiring certificates; nothing when all is well
     */
    public static List<Finding> check(CertificateChain chain, String host, Instant now, SourcePosition where) {
        X509Certificate leaf = chain.leaf();
        List<Finding> findings = new ArrayList<>();
        if (!HostNames.covers(leaf, host)) {
            List<String> names = HostNames.presentedNames(leaf);
            findings.add(Finding.error(
                    "cert.wrong-host",
                    where,
                    "the certificate in " + chain.source()
                            + " is not valid for " + host + ": it covers "
                            + (names.isEmpty() ? "no host name" : String.join(", ", names))
                            + "; use the certificate of " + host + " or add " + host + " to its subjectAltName"));
        }
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (now.isAfter(notAfter)) {
            findings.add(Finding.warning(
                    "cert.expired",
                    where,
                    "the certificate in " + chain.source() + " expired "
                            + days(Duration.between(notAfter, now)) + " ago (notAfter " + MessageText.instant(notAfter)
                            + "): senders that check it (MTA-STS, DANE-TA) refuse to deliver; renew it"));
        } else if (now.isBefore(notBefore)) {
            findings.add(Finding.warning(
                    "cert.not-yet-valid",
                    where,
                    "the certificate in " + chain.source()
                            + " is not valid for another " + days(Duration.between(now, notBefore)) + " (notBefore "
                            + MessageText.instant(notBefore)
                            + "): senders that check it (MTA-STS, DANE-TA) refuse to deliver until then"));
        } else if (Duration.between(now, notAfter).compareTo(EXPIRY_WARNING) < 0) {
            findings.add(Finding.warning(
                    "cert.expires-soon",
                    where,
                    "the certificate in " + chain.source()
                            + " expires in " + days(Duration.between(now, notAfter)) + " (notAfter "
                            + MessageText.instant(notAfter)
                            + "): renew it, and publish the TLSA record of the new key before it is used"));
        }
        return findings;
    }

    private static String days(Duration duration) {
        long days = duration.toDays();
        if (days == 0) {
            return "less than a day";
        }
        return days == 1 ? "1 day" : days + " days";
    }
}
