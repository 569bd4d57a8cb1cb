package org.mxpolicy.finding;

import java.util.List;

/**
 * A check found problems in otherwise readable input (a signed zone that does not verify, or a
 * zone the signer made that would not verify and so was not written): the findings say every
 * problem. Maps to exit code 1.
 */
public class VerificationFailedException extends MxpolicyException {

    private final List<Finding> findings;

    public VerificationFailedException(String message, List<Finding> findings) {
        super(message);
        this.findings = List.copyOf(findings);
    }

    public List<Finding> findings() {
        return findings;
    }

    @Override
    public int exitCode() {
        return 1;
    }
}
