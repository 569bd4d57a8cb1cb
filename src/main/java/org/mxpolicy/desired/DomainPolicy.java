package org.mxpolicy.desired;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mxpolicy.record.MtaStsPolicy;

/**
 * The MTA-STS policy one mail domain serves at
 * {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}.
 */
public record DomainPolicy(String domain, MtaStsPolicy policy) {

    /** The policies by domain, the first for each: a hoster has thousands, looked up one by one. */
    public static Map<String, DomainPolicy> byDomain(List<DomainPolicy> policies) {
        Map<String, DomainPolicy> byDomain = new HashMap<>();
        policies.forEach(p -> byDomain.putIfAbsent(p.domain(), p));
        return byDomain;
    }

    /** The host the policy is served from, RFC 8461 section 3.3. */
    public String policyHost() {
        return HttpsHost.Kind.POLICY.host(domain);
    }
}
