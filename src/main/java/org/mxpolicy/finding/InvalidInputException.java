package org.mxpolicy.finding;

import java.util.List;
import java.util.Objects;

/**
 * Bad input (config, certificate, key, zone file): the findings say every problem found, each
 * with its position. Maps to exit code 2.
 */
public class InvalidInputException extends MxpolicyException {

    private final List<Finding> findings;

    public InvalidInputException(List<Finding> findings) {
        super(summary(findings));
        if (findings.isEmpty()) {
            throw new IllegalArgumentException("an invalid input needs at least one finding");
        }
        this.findings = List.copyOf(findings);
    }

    public InvalidInputException(Finding finding) {
        this(List.of(Objects.requireNonNull(finding)));
    }

    public InvalidInputException(String id, SourcePosition position, String message) {
        this(Finding.error(id, position, message));
    }

    public List<Finding> findings() {
        return findings;
    }

    @Override
    public int exitCode() {
        return 2;
    }

    private static String summary(List<Finding> findings) {
        return findings.isEmpty() ? "invalid input" : findings.get(0).format();
    }
}
