package org.mxpolicy.tlsrpt;

import org.mxpolicy.finding.MxpolicyException;

/**
 * Input that can never become a stored report, however often it is retried: not a report mail,
 * a broken or oversized attachment, JSON that is not an RFC 8460 report. Maps to sysexits
 * EX_DATAERR (65), so an MTA bounces instead of retrying.
 */
public final class ReportRejectedException extends MxpolicyException {

    /** sysexits.h EX_DATAERR: the input data was incorrect in some way. */
    public static final int EX_DATAERR = 65;

    private final String id;

    /**
     * A rejection.
     *
     * @param id a finding id such as {@code reports.gzip-bomb}
     * @param message one line saying what is wrong with the input
     */
    public ReportRejectedException(String id, String message) {
        super(message);
        this.id = id;
    }

    public ReportRejectedException(String id, String message, Throwable cause) {
        super(message, cause);
        this.id = id;
    }

    public String id() {
        return id;
    }

    @Override
    public int exitCode() {
        return EX_DATAERR;
    }
}
