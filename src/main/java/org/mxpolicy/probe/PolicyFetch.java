package org.mxpolicy.probe;

import java.net.InetAddress;
import java.util.List;

/**
 * Fetches {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} with the rules sending MTAs
 * use: HTTPS with a certificate valid for the host from a trusted CA, no redirects followed,
 * status 200, media type text/plain, a body that parses as a policy.
 *
 * <p>The fetch looks up nothing itself: the caller gives the addresses of {@code mta-sts.<domain>}
 * from its own lookup (the validating one, through the configured resolvers), so the policy host
 * is found where the rest of the check looks, not through whatever resolver the system has.
 */
public interface PolicyFetch {

    /**
     * Fetches the policy of {@code domain} from {@code addresses}, each tried in turn on port 443.
     * Never throws for network or protocol trouble: that is an observation with a problem (also
     * when {@code addresses} is empty and nothing else says where the host is).
     */
    PolicyObservation fetch(String domain, List<InetAddress> addresses);
}
