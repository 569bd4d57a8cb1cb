package org.mxpolicy.config;

import java.util.Objects;
import java.util.regex.Pattern;
import org.mxpolicy.finding.SourcePosition;

/**
 * How {@code publish} knows and retires the records it owns ({@code ownership}).
 *
 * @param ownerId this installation's name in the ownership markers it writes in DNS; two
 *     installations that publish into the same zones need different ids, one that takes over
 *     from another (a new machine) the same one
 * @param maxDeletionPercent a plan that deletes more than this share of a zone's owned RRsets is
 *     refused without {@code --force}, as octoDNS refuses an unsafe plan
 * @param minOwned the share rule applies to zones with at least this many owned RRsets: in a
 *     small zone one deletion is already a large share
 * @param position where the {@code ownership} key is, or null for the defaults
 */
public record OwnershipSettings(String ownerId, int maxDeletionPercent, int minOwned, SourcePosition position) {

    public static final String DEFAULT_OWNER_ID = "mxpolicy";
    /** octoDNS's {@code MAX_SAFE_DELETE_PCENT}. */
    public static final int DEFAULT_MAX_DELETION_PERCENT = 30;
    /** octoDNS's {@code MIN_EXISTING_RECORDS}. */
    public static final int DEFAULT_MIN_OWNED = 10;
    /** Letters, digits, dot, dash and underscore: it sits unquoted in a TXT string. */
    public static final Pattern OWNER_ID = Pattern.compile("[A-Za-z0-9._-]{1,63}");

    public OwnershipSettings {
        Objects.requireNonNull(ownerId, "ownerId");
        if (!OWNER_ID.matcher(ownerId).matches()) {
            throw new IllegalArgumentException("owner id " + ownerId);
        }
    }

    public static OwnershipSettings defaults() {
        return new OwnershipSettings(DEFAULT_OWNER_ID, DEFAULT_MAX_DELETION_PERCENT, DEFAULT_MIN_OWNED, null);
    }
}
