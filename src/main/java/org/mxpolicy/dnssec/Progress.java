package org.mxpolicy.dnssec;

/**
 * Where the signer and the verifier say how far a long run is, RRset by RRset. They call it from
 * their worker threads, so an implementation must be thread-safe, and calls of one task may
 * arrive slightly out of order; the call with {@code done == total} is the last of a task.
 */
@FunctionalInterface
public interface Progress {

    /** Reports nothing. */
    Progress NONE = (task, done, total) -> {};

    /**
     * Says that {@code done} of {@code total} RRsets of {@code task} are finished.
     *
     * @param task what is under way, e.g. {@code signing example.org}
     * @param done RRsets finished so far
     * @param total RRsets of the task
     */
    void advanced(String task, long done, long total);
}
