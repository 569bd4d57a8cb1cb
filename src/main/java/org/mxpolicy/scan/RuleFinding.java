package org.mxpolicy.scan;

import java.util.Objects;

/**
 * One rule judged for one endpoint, with what was seen.
 *
 * @param requirement the TR-03108 requirement it serves, e.g. {@code 03-M}, {@code 12-R}
 * @param check a stable id, e.g. {@code tls.protocols}, {@code cert.key-size}
 * @param source where the rule is written, e.g. {@code TR-03116-4 2.2.1}, {@code TR-03108 4.3.2}
 * @param verdict pass, warn, fail or unknown
 * @param evidence what the scan saw, in a sentence
 */
public record RuleFinding(String requirement, String check, String source, Verdict verdict, String evidence) {

    public RuleFinding {
        Objects.requireNonNull(requirement, "requirement");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(evidence, "evidence");
    }
}
