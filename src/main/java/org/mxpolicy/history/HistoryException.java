package org.mxpolicy.history;

import org.mxpolicy.finding.MxpolicyException;

/** The history cannot be reached or refused a write; a later attempt may succeed. */
public final class HistoryException extends MxpolicyException {

    /** sysexits.h EX_TEMPFAIL, as for the report store the history lives in. */
    public static final int EX_TEMPFAIL = 75;

    public HistoryException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return EX_TEMPFAIL;
    }
}
