package org.mxpolicy.history;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * The port to the history of what mxpolicy published or saw served: per kind and subject, the
 * versions one after the other. Recording is idempotent: the current value again only moves its
 * last-seen time on; a different value closes the current version at that time and opens a new
 * one. {@code publish --apply} records what it applied, {@code check} what it observed.
 */
public interface PublicationHistory extends AutoCloseable {

    /**
     * Records that {@code sets} were published or seen at {@code at}, in one transaction. A set
     * whose current version began after {@code at} is left alone: history is not rewritten by a
     * late writer.
     *
     * @throws HistoryException the history cannot be reached or refused the write
     */
    void record(Collection<RecordSet> sets, RecordSetSource source, Instant at) throws HistoryException;

    /** Every version of the record sets of {@code subjects}, by kind, subject and first seen. */
    List<RecordSetVersion> versions(Collection<String> subjects) throws HistoryException;

    /** Releases the connection; a history handed out by a store closes with the store. */
    @Override
    default void close() {}

    /** A history that keeps nothing, for stores without one. */
    static PublicationHistory none() {
        return new PublicationHistory() {
            @Override
            public void record(Collection<RecordSet> sets, RecordSetSource source, Instant at) {}

            @Override
            public List<RecordSetVersion> versions(Collection<String> subjects) {
                return List.of();
            }
        };
    }
}
