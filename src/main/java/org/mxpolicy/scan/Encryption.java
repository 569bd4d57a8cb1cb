package org.mxpolicy.scan;

/**
 * Whether a client may fall back to plaintext when TLS fails, which decides how strictly
 * TR-03108 section 4.3.2 lets versions and suites outside TR-03116-4 be judged.
 */
public enum Encryption {
    /**
     * A sender goes on without TLS when the receiver offers none (STARTTLS on an MX, and the
     * "Opportunistic TLS" of SUBMISSION, IMAP and POP3 in TR-03108 4.1.2): versions and suites
     * outside the profile are permitted at the lowest priority (TR-03108 4.3.2).
     */
    OPPORTUNISTIC,
    /**
     * The client does not proceed without TLS (implicit TLS of SUBMISSIONS, IMAPS, POP3S, and
     * HTTPS): TR-03108 4.3.2's allowance does not apply, anything outside the profile fails.
     */
    MANDATORY
}
