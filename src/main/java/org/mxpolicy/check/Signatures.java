package org.mxpolicy.check;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.mxpolicy.finding.MessageText;
import org.xbill.DNS.RRSIGRecord;

/** Expiry of RRSIGs: a zone whose signer stopped goes dark when the first of them runs out. */
final class Signatures {

    private Signatures() {}

    static Optional<Instant> earliestExpiry(Collection<RRSIGRecord> signatures) {
        return signatures.stream().map(RRSIGRecord::getExpire).min(Instant::compareTo);
    }

    static Optional<CheckResult> expiryResult(String rrset, Instant expires, Instant now, CheckSettings settings) {
        Duration left = Duration.between(now, expires);
        String when = left.isNegative()
                ? "expired " + Durations.text(left.negated()) + " ago"
                : "expires in " + Durations.text(left);
        String message = "the signature of " + rrset + " " + when + " (" + MessageText.instant(expires)
                + "); is the zone still being"
                + " re-signed? (mxpolicy sign from a timer, or the DNS server's own signing)";
        if (left.compareTo(settings.signatureCritical()) < 0) {
            return Optional.of(CheckResult.critical("dnssec.rrsig-expiry", rrset, message));
        }
        if (left.compareTo(settings.signatureWarning()) < 0) {
            return Optional.of(CheckResult.warning("dnssec.rrsig-expiry", rrset, message));
        }
        return Optional.empty();
    }
}
