package org.mxpolicy.check;

import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.ReportStoreException;
import org.mxpolicy.tlsrpt.ReportThresholds;

/**
 * The TLS reports {@code check} judges (TR-03108-11-R): where they are kept, and the thresholds.
 *
 * @param store opens the store for one run; an unreachable store is an UNKNOWN result, not a
 *     failed check
 */
public record StoredReports(Opener store, ReportThresholds thresholds) {

    /** Opens the report store; the caller closes it. */
    @FunctionalInterface
    public interface Opener {
        ReportStore open() throws ReportStoreException;
    }
}
