package org.mxpolicy.history;

import java.util.Optional;

/** How the history learnt of a version: mxpolicy published it, or a check saw it served. */
public enum RecordSetSource {
    PUBLISHED("published"),
    OBSERVED("observed");

    private final String keyword;

    RecordSetSource(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static Optional<RecordSetSource> of(String keyword) {
        for (RecordSetSource source : values()) {
            if (source.keyword.equals(keyword)) {
                return Optional.of(source);
            }
        }
        return Optional.empty();
    }
}
