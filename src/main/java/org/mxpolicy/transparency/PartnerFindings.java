package org.mxpolicy.transparency;

import java.util.Objects;

/**
 * What an audit of a partner's domain found, criterion by criterion.
 *
 * @param domain the partner's mail domain
 * @param dnssec whether its MX RRset is DNSSEC-signed and validates
 * @param dane whether it publishes usable TLSA records for every MX (TR-03108 05-M, RFC 7672)
 * @param mtaSts whether it publishes an MTA-STS policy in enforce mode (07-R, RFC 8461)
 * @param tls whether every MX offers STARTTLS per TR-03116-4 (03-M)
 */
public record PartnerFindings(String domain, Assessment dnssec, Assessment dane, Assessment mtaSts, Assessment tls) {

    public PartnerFindings {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(dnssec, "dnssec");
        Objects.requireNonNull(dane, "dane");
        Objects.requireNonNull(mtaSts, "mtaSts");
        Objects.requireNonNull(tls, "tls");
    }
}
