package org.mxpolicy.keyroll;

/** Where a key is in a rollover, derived from its timing and what was seen; never stored. */
public enum KeyPhase {
    /** Published ahead of use; caches take its DNSKEY in. */
    PUBLISHED("published, not yet signing"),
    /** A key-signing key whose CDS is published; waiting for the parent's DS. */
    DS_PENDING("published with CDS, waiting for the parent's DS"),
    /** Signing. */
    ACTIVE("active"),
    /** No longer signing; published until its signatures can no longer be cached. */
    RETIRED("retired, still published"),
    /** Gone from the zone. */
    REMOVED("removed"),
    /** Not managed by the key policy (no private key, another algorithm, or made to start later). */
    UNMANAGED("not managed by the key policy");

    private final String words;

    KeyPhase(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }
}
