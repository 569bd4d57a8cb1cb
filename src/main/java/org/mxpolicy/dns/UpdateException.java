package org.mxpolicy.dns;

/**
 * An RFC 2136 update that did not land. The message names the server, the RRset and the
 * response code or network error, ready for one line on stderr.
 */
public final class UpdateException extends Exception {

    /** Why, so callers can tell a concurrent change from a configuration or network problem. */
    public enum Reason {
        /** A prerequisite failed (YXRRSET, NXRRSET, NXDOMAIN, YXDOMAIN): the zone changed meanwhile. */
        CONCURRENT_CHANGE,
        /** TSIG missing, wrong key, wrong signature, clock skew (NOTAUTH, BADKEY, BADSIG, BADTIME) or REFUSED. */
        NOT_AUTHORIZED,
        /** No answer, SERVFAIL, or another failure after the retries. */
        UNAVAILABLE
    }

    private final Reason reason;

    public UpdateException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public UpdateException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
