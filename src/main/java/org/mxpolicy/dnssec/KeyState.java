package org.mxpolicy.dnssec;

/**
 * Where a key is in its life at a given instant, as its {@link KeyTiming} says; what the signer
 * does with it follows from this alone.
 */
public enum KeyState {
    /** Before its Publish time: not in the zone at all. */
    UNPUBLISHED("not yet published"),
    /** Its DNSKEY is in the zone, but it makes no signatures: a pre-published successor. */
    PUBLISHED("published, not active"),
    /** Published and signing (Activate at or before now, Inactive not yet reached). */
    ACTIVE("active"),
    /** Past its Inactive time: still published, so that cached signatures keep validating, but not signing. */
    INACTIVE("inactive"),
    /**
     * Past its Revoke time: published with the REVOKE bit, signing the DNSKEY RRset only, so that
     * validators tracking it as a trust anchor see the revocation (RFC 5011 section 2.1).
     */
    REVOKED("revoked"),
    /** Past its Delete time: gone from the zone. */
    DELETED("deleted");

    private final String description;

    KeyState(String description) {
        this.description = description;
    }

    /** Whether the key's DNSKEY record is in the zone. */
    public boolean published() {
        return this == PUBLISHED || this == ACTIVE || this == INACTIVE || this == REVOKED;
    }

    /** Whether the key signs the zone's data (a revoked key signs only the DNSKEY RRset). */
    public boolean signs() {
        return this == ACTIVE;
    }

    /** The state in words, for messages. */
    public String description() {
        return description;
    }
}
