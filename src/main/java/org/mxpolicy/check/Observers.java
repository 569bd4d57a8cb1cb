package org.mxpolicy.check;

import java.util.Optional;
import org.mxpolicy.dns.AuthoritativeQuery;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.probe.PolicyFetch;
import org.mxpolicy.probe.SmtpProbe;

/**
 * The ports a check looks at the world through.
 *
 * @param reports the TLS reports senders sent back; empty when the config has no {@code reports}
 */
public record Observers(
        DnsLookup dns,
        AuthoritativeQuery authorities,
        SmtpProbe smtp,
        PolicyFetch policies,
        Optional<StoredReports> reports) {

    /** Observers without TLS reports. */
    public Observers(DnsLookup dns, AuthoritativeQuery authorities, SmtpProbe smtp, PolicyFetch policies) {
        this(dns, authorities, smtp, policies, Optional.empty());
    }
}
