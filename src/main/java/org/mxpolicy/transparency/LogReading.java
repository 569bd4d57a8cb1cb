package org.mxpolicy.transparency;

import java.util.ArrayList;
import java.util.List;

/**
 * What reading the logs came to besides the exchanges: how many lines, how many could not be
 * read (counted, never fatal: a log may hold a torn line at a rotation or another program's
 * garbage), and where the first of those were.
 */
public final class LogReading {

    /** Positions of bad lines kept for the message; the rest are only counted. */
    static final int POSITIONS_KEPT = 5;

    private long lines;
    private long badLines;
    private long tlsSessions;
    private long deliveries;
    private long evictedSessions;
    private final List<String> firstBad = new ArrayList<>();

    void line() {
        lines++;
    }

    void bad(String source, long lineNumber) {
        badLines++;
        if (firstBad.size() < POSITIONS_KEPT) {
            firstBad.add(source + ":" + lineNumber);
        }
    }

    void tlsSession() {
        tlsSessions++;
    }

    void delivery() {
        deliveries++;
    }

    void evicted(long count) {
        evictedSessions += count;
    }

    public long lines() {
        return lines;
    }

    public long badLines() {
        return badLines;
    }

    /** {@code file:line} of the first few bad lines. */
    public List<String> firstBadLines() {
        return List.copyOf(firstBad);
    }

    public long tlsSessions() {
        return tlsSessions;
    }

    public long deliveries() {
        return deliveries;
    }

    /** TLS sessions forgotten because more SMTP processes were open at once than the table holds. */
    public long evictedSessions() {
        return evictedSessions;
    }
}
