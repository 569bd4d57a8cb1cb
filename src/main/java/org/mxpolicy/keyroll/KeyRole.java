package org.mxpolicy.keyroll;

import org.mxpolicy.dnssec.ZoneKey;

/** What a key does in a zone's key policy. */
public enum KeyRole {
    /** A combined signing key: signs everything; its DS is in the parent. */
    CSK("combined signing key"),
    /** A key-signing key: signs the DNSKEY, CDS and CDNSKEY RRsets; its DS is in the parent. */
    KSK("key-signing key"),
    /** A zone-signing key: signs everything else. */
    ZSK("zone-signing key");

    private final String words;

    KeyRole(String words) {
        this.words = words;
    }

    /** The role of {@code key} in a zone whose policy has combined keys ({@code csk}) or split ones. */
    public static KeyRole of(ZoneKey key, boolean csk) {
        return !key.isKsk() ? ZSK : csk ? CSK : KSK;
    }

    /** Whether the parent's DS points at keys of this role, so that rolling them takes the parent. */
    public boolean secureEntryPoint() {
        return this != ZSK;
    }

    public int flags() {
        return this == ZSK ? ZoneKey.FLAGS_ZSK : ZoneKey.FLAGS_KSK;
    }

    public String words() {
        return words;
    }
}
