package org.mxpolicy.finding;

/**
 * Root of the project's checked exceptions. Unchecked exceptions mean bugs; these mean the
 * input or the world is not as it should be, and carry what the user needs to fix it.
 */
public abstract class MxpolicyException extends Exception {

    protected MxpolicyException(String message) {
        super(message);
    }

    protected MxpolicyException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The exit code this failure maps to: 2 for bad input, 1 for work that failed. */
    public abstract int exitCode();
}
