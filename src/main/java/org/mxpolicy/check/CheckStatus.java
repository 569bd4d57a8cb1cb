package org.mxpolicy.check;

/**
 * The monitoring-plugin states (Nagios, Icinga, Checkmk) and their exit codes. A run's status
 * is its worst result's: CRITICAL over UNKNOWN over WARNING over OK, so that an unreachable
 * resolver never hides a broken record that was seen.
 */
public enum CheckStatus {
    OK(0, 0),
    WARNING(1, 1),
    UNKNOWN(3, 2),
    CRITICAL(2, 3);

    private final int exitCode;
    private final int rank;

    CheckStatus(int exitCode, int rank) {
        this.exitCode = exitCode;
        this.rank = rank;
    }

    public int exitCode() {
        return exitCode;
    }

    public CheckStatus worse(CheckStatus other) {
        return other.rank > rank ? other : this;
    }

    public String label() {
        return name();
    }
}
