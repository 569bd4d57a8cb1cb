package org.mxpolicy.history;

import java.util.Optional;

/** The kinds of record set whose versions the history keeps. */
public enum RecordSetKind {
    /** The TLSA RRset of an MX host, owner {@code _25._tcp.<host>} (RFC 7672 section 2.2). */
    TLSA("tlsa"),
    /** The id of the {@code _mta-sts.<domain>} TXT record (RFC 8461 section 3.1). */
    STS_ID("sts-id"),
    /** The MTA-STS policy text of a domain (RFC 8461 section 3.2). */
    STS_POLICY("sts-policy");

    private final String keyword;

    RecordSetKind(String keyword) {
        this.keyword = keyword;
    }

    /** The name the store and the output use. */
    public String keyword() {
        return keyword;
    }

    public static Optional<RecordSetKind> of(String keyword) {
        for (RecordSetKind kind : values()) {
            if (kind.keyword.equals(keyword)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
