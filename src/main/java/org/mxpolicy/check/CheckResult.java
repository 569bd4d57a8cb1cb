package org.mxpolicy.check;

import java.util.Comparator;
import java.util.Objects;

/**
 * One outcome of the check: a status, a stable id scripts and alert rules match on (such as
 * {@code tlsa.disk-unmatched}), what it is about (a domain, an MX host, an MX address, a zone)
 * and a message that says what is wrong and what to do.
 */
public record CheckResult(CheckStatus status, String id, String subject, String message) {

    /** Subjects in name order, then ids, so two runs list the same things in the same order. */
    public static final Comparator<CheckResult> ORDER = Comparator.comparing(CheckResult::subject)
            .thenComparing(CheckResult::id)
            .thenComparing(CheckResult::message);

    public CheckResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
    }

    static CheckResult ok(String id, String subject, String message) {
        return new CheckResult(CheckStatus.OK, id, subject, message);
    }

    static CheckResult warning(String id, String subject, String message) {
        return new CheckResult(CheckStatus.WARNING, id, subject, message);
    }

    static CheckResult critical(String id, String subject, String message) {
        return new CheckResult(CheckStatus.CRITICAL, id, subject, message);
    }

    static CheckResult unknown(String id, String subject, String message) {
        return new CheckResult(CheckStatus.UNKNOWN, id, subject, message);
    }
}
