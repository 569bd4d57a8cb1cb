package org.mxpolicy.tlsrpt;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.Locale;
import org.mxpolicy.finding.MessageText;
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

    /**
     * A file operation of the store or the quarantine failed: {@code doing} ("cannot create
     * /var/lib/mxpolicy/reports.sqlite") and the reason in words ("file already exists" for a
     * file where a directory should be).
     */
    public static ReportStoreException io(String doing, IOException e) {
        String reason;
        if (e instanceof FileSystemException f) {
            String why = f.getReason() != null
                    ? f.getReason()
                    : e.getClass()
                            .getSimpleName()
                            .replaceFirst("Exception$", "")
                            .replaceAll("(?<=[a-z])(?=[A-Z])", " ")
                            .toLowerCase(Locale.ROOT);
            reason = f.getFile() + ": " + why;
        } else {
            reason = MessageText.problem(e);
        }
        return new ReportStoreException(doing + ": " + reason, e);
    }

    @Override
    public int exitCode() {
        return EX_TEMPFAIL;
    }
}
