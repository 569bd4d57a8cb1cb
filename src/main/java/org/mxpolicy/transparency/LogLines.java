package org.mxpolicy.transparency;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * The lines of a log, each held to {@link #MAX_CHARS}: a torn file (a run of NULs after a crash,
 * a gzip member that inflates to gigabytes without a line break) must not take the heap. A
 * longer line is cut there and {@link #cut()} says so; the rest of it is skipped.
 */
final class LogLines implements Closeable {

    /** Far above any syslog message (rsyslog's default limit is 8 KiB, Postfix's own lines 2 KiB). */
    static final int MAX_CHARS = 64 * 1024;

    private final Reader in;
    private final char[] buffer = new char[8192];
    private int next;
    private int end;
    private boolean cut;

    LogLines(Reader in) {
        this.in = in;
    }

    /** The next line without its line end, or null at the end of the log. */
    String next() throws IOException {
        StringBuilder line = new StringBuilder();
        cut = false;
        boolean any = false;
        while (true) {
            if (next == end) {
                end = in.read(buffer, 0, buffer.length);
                next = 0;
                if (end <= 0) {
                    end = 0;
                    return any ? finish(line) : null;
                }
            }
            any = true;
            int start = next;
            while (next < end && buffer[next] != '\n') {
                next++;
            }
            int take = Math.min(next - start, MAX_CHARS - line.length());
            if (take < next - start) {
                cut = true;
            }
            line.append(buffer, start, take);
            if (next < end) {
                next++;
                return finish(line);
            }
        }
    }

    /** Whether the line {@link #next()} returned last was longer than {@link #MAX_CHARS}. */
    boolean cut() {
        return cut;
    }

    private static String finish(StringBuilder line) {
        int length = line.length();
        return length > 0 && line.charAt(length - 1) == '\r' ? line.substring(0, length - 1) : line.toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
