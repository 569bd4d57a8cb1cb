package org.mxpolicy.history;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One version of a record set in the history: the set, when it was first and last seen, and when
 * a different one took its place.
 *
 * @param replacedAt empty while the version is the current one
 * @param source how the history first learnt of it
 */
public record RecordSetVersion(
        RecordSet set,
        String digest,
        Instant firstSeen,
        Instant lastSeen,
        Optional<Instant> replacedAt,
        RecordSetSource source) {

    public RecordSetVersion {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(replacedAt, "replacedAt");
        Objects.requireNonNull(source, "source");
    }

    public RecordSetKind kind() {
        return set.kind();
    }

    public String subject() {
        return set.subject();
    }
}
