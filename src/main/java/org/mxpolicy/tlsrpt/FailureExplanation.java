package org.mxpolicy.tlsrpt;

import java.util.Objects;

/**
 * Why a group of failed sessions failed, as far as the history of what was published tells: a
 * rule id and a sentence with what to do ({@link FailureExplainer}, docs/reports.md).
 */
public record FailureExplanation(String rule, String text) {

    /** A sender used a policy or TLSA set of ours that was replaced before the failures. */
    public static final String STALE_POLICY = "tlsrpt.stale-policy";
    /** The policy-string matches no version published or observed. */
    public static final String UNKNOWN_POLICY = "tlsrpt.unknown-policy";
    /** The record set changed shortly before the failures started. */
    public static final String CHANGED = "tlsrpt.changed";
    /** The failures are at one MX host while others succeed. */
    public static final String SINGLE_MX = "tlsrpt.single-mx";

    public FailureExplanation {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return text + " [" + rule + "]";
    }
}
