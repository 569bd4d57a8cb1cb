package org.mxpolicy.status;

import org.mxpolicy.check.CheckResult;

/**
 * One result of the check as a page lists it, with what it means.
 *
 * @param explanation why the id matters and what usually fixes it; empty when there is nothing to add
 */
public record ExplainedResult(Level level, String id, String subject, String message, String explanation) {

    static ExplainedResult of(CheckResult r) {
        return new ExplainedResult(Level.of(r.status()), r.id(), r.subject(), r.message(), Explanations.of(r.id()));
    }
}
