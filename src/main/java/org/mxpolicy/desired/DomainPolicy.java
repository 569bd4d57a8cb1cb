package org.mxpolicy.desired;

import org.mxpolicy.record.MtaStsPolicy;

/**
 * The MTA-STS policy one mail domain serves at
 * {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}.
 */
public record DomainPolicy(String domain, MtaStsPolicy policy) {

    /** The host the policy is served from, RFC 8461 section 3.3. */
    public String policyHost() {
        return HttpsHost.Kind.POLICY.host(domain);
    }
}
