package org.mxpolicy.tlsrpt;

import org.mxpolicy.finding.MxpolicyException;

/**
 * The report store cannot be reached or refused a write: the input is fine and a later attempt
 * may succeed. Maps to sysexits EX_TEMPFAIL (75), so an MTA keeps the mail queued and retries.
 */
public final class ReportStoreException extends MxpolicyException {

    /** sysexits.h EX_TEMPFAIL: a temporary failure; the caller is invited to retry. */
    public static final int EX_TEMPFAIL = 75;

    public ReportStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public int exitCode() {
        return EX_TEMPFAIL;
    }
}
