package org.mxpolicy.transparency;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether one partner meets TR-03108 as a receiving provider, and on what grounds.
 *
 * @param domain the partner's mail domain
 * @param meets DANE and TLS per TR-03116-4 both met
 * @param dane DANE (TR-03108 05-M, RFC 7672): published, or deliveries authenticated
 * @param tls STARTTLS per TR-03116-4 (03-M)
 * @param mtaSts MTA-STS in enforce mode (07-R): shown, not required
 * @param dnssec the MX RRset signed and valid: shown, part of DANE
 * @param traffic the deliveries the log shows, when a log was read and it has any
 */
public record PartnerVerdict(
        String domain,
        Assessment meets,
        Assessment dane,
        Assessment tls,
        Assessment mtaSts,
        Assessment dnssec,
        Optional<PartnerTraffic> traffic) {

    public PartnerVerdict {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(meets, "meets");
        Objects.requireNonNull(dane, "dane");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(mtaSts, "mtaSts");
        Objects.requireNonNull(dnssec, "dnssec");
        Objects.requireNonNull(traffic, "traffic");
    }

    /** The states alone, as the history keeps them. */
    public VerdictState state() {
        return new VerdictState(meets.state(), dane.state(), tls.state(), mtaSts.state(), dnssec.state());
    }
}
