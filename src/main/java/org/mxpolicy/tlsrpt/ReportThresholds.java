package org.mxpolicy.tlsrpt;

import java.time.Duration;

/**
 * When the stored reports make {@code check} warn (TR-03108-11-R: evaluate the reports
 * received): the failure rate and the failed sessions of a domain or MX host over {@code window},
 * and how long a domain that used to get reports may go without one.
 *
 * @param window the reports whose period ended within this are counted
 * @param rateWarning failed over all sessions, as a fraction, from which a WARNING is given
 * @param rateCritical the same for CRITICAL; at least {@code rateWarning}
 * @param failuresWarning failed sessions from which a WARNING is given
 * @param failuresCritical the same for CRITICAL; at least {@code failuresWarning}
 * @param minSessions a failure rate is judged only over at least this many sessions, so that one
 *     failure in three sessions is not a CRITICAL
 * @param silence a domain with stored reports but none that ended within this is a WARNING;
 *     zero turns the finding off
 */
public record ReportThresholds(
        Duration window,
        double rateWarning,
        double rateCritical,
        long failuresWarning,
        long failuresCritical,
        long minSessions,
        Duration silence) {

    public static final Duration DEFAULT_WINDOW = Duration.ofDays(7);
    public static final double DEFAULT_RATE_WARNING = 0.02;
    public static final double DEFAULT_RATE_CRITICAL = 0.10;
    public static final long DEFAULT_FAILURES_WARNING = 10;
    public static final long DEFAULT_FAILURES_CRITICAL = 100;
    public static final long DEFAULT_MIN_SESSIONS = 20;
    public static final Duration DEFAULT_SILENCE = Duration.ofDays(3);

    public ReportThresholds {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the window must be longer than 0");
        }
        if (!(rateWarning > 0 && rateWarning <= rateCritical && rateCritical <= 1)) {
            throw new IllegalArgumentException("failure rates must be 0 < warning <= critical <= 1");
        }
        if (failuresWarning < 1 || failuresCritical < failuresWarning) {
            throw new IllegalArgumentException("failure counts must be 1 <= warning <= critical");
        }
        if (minSessions < 1) {
            throw new IllegalArgumentException("min_sessions must be at least 1");
        }
        if (silence.isNegative()) {
            throw new IllegalArgumentException("the silence must not be negative");
        }
    }

    public static ReportThresholds defaults() {
        return new ReportThresholds(
                DEFAULT_WINDOW,
                DEFAULT_RATE_WARNING,
                DEFAULT_RATE_CRITICAL,
                DEFAULT_FAILURES_WARNING,
                DEFAULT_FAILURES_CRITICAL,
                DEFAULT_MIN_SESSIONS,
                DEFAULT_SILENCE);
    }

    /** Whether {@code tlsrpt.silence} is judged at all. */
    public boolean watchesSilence() {
        return !silence.isZero();
    }
}
