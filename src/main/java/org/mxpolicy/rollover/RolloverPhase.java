package org.mxpolicy.rollover;

/**
 * Where the rollover of an MX host stands. Derived from a {@link RolloverState} and the time,
 * never stored. The order is the one of RFC 7671 section 8.1: publish the next key's record,
 * wait until no resolver can still hold the RRset without it, switch the certificate, then
 * retire the previous key's record.
 */
public enum RolloverPhase {
    /** No key is staged; stage one ({@code mxpolicy rollover prepare}) before the next renewal. */
    NO_NEXT("no next key staged"),
    /** A key is staged, but its TLSA record is not yet served (and validated) by every authoritative server. */
    NEXT_UNPUBLISHED("next key staged, its record not yet served everywhere"),
    /** The next key's record is served; resolvers may still hold the RRset without it until the gate opens. */
    NEXT_AGING("next key's record served, waiting for caches to expire"),
    /** The gate is open: a certificate with the next key may go live. */
    READY("a certificate with the next key may go live"),
    /**
     * The certificate was switched; the previous key's record stays until every address of the
     * MX presents the new key. A next key can be staged and aging meanwhile.
     */
    RETIRING("switched, previous key's record kept until every address presents the new key");

    private final String text;

    RolloverPhase(String text) {
        this.text = text;
    }

    /** What the phase means, in a few words. */
    public String text() {
        return text;
    }

    /** The identifier the docs and scripts use, with its meaning: {@code READY (a certificate ...)}. */
    public String shown() {
        return name() + " (" + text + ")";
    }
}
