package org.mxpolicy.finding;

/** How much a finding matters; the most severe finding of a run decides its exit code. */
public enum Severity {
    /** Worth knowing; nothing is wrong. */
    NOTE,
    /** The output is usable but something is likely not what the operator wants. */
    WARNING,
    /** The input is wrong; no output is written. */
    ERROR;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
