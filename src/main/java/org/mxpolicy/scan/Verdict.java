package org.mxpolicy.scan;

/** The outcome of one rule for one endpoint. */
public enum Verdict {
    PASS,
    /**
     * Outside the profile but allowed where TLS is opportunistic, as long as it has the lowest
     * priority (TR-03108 section 4.3.2).
     */
    WARN,
    FAIL,
    /** Not judged: the endpoint could not be reached, or DNS did not answer. */
    UNKNOWN,
    /** Nothing to judge, e.g. a domain that accepts no mail (null MX, RFC 7505). */
    NOT_APPLICABLE
}
