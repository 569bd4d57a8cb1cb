package org.mxpolicy.probe;

/**
 * Fetches {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} with the rules sending MTAs
 * use: HTTPS with a certificate valid for the host from a trusted CA, no redirects followed,
 * status 200, media type text/plain, a body that parses as a policy.
 */
public interface PolicyFetch {

    /** Never throws for network or protocol trouble: that is an observation with a problem. */
    PolicyObservation fetch(String domain);
}
