package org.mxpolicy.status;

import java.util.ArrayList;
import java.util.List;

/**
 * The sessions senders reported for one domain (TLS-RPT, RFC 8460), successful and failed, per
 * day of the last {@link #DAYS} days, with the bars of a chart drawn on the server.
 *
 * @param days oldest first
 * @param problem why there are no counts (the store could not be read); empty otherwise
 */
public record ReportDays(List<Day> days, String problem) {

    public static final int DAYS = 14;
    static final int WIDTH = 720;
    static final int HEIGHT = 140;
    static final int PLOT = 100;

    /**
     * One day: its counts and its stacked bar (successful from the bottom, failed above).
     *
     * @param date the UTC day, {@code yyyy-mm-dd}
     */
    public record Day(
            String date,
            long successful,
            long failed,
            int x,
            int width,
            int okY,
            int okHeight,
            int failedY,
            int failedHeight) {}

    /** The chart of counts given oldest first, scaled to the largest day. */
    static ReportDays of(List<String> dates, List<long[]> counts) {
        long max = 1;
        for (long[] c : counts) {
            max = Math.max(max, c[0] + c[1]);
        }
        int slot = (WIDTH - 20) / Math.max(1, dates.size());
        List<Day> days = new ArrayList<>();
        for (int i = 0; i < dates.size(); i++) {
            long ok = counts.get(i)[0];
            long failed = counts.get(i)[1];
            int okHeight = (int) Math.round((double) ok * PLOT / max);
            int failedHeight = (int) Math.round((double) failed * PLOT / max);
            if (failed > 0 && failedHeight == 0) {
                failedHeight = 1; // one failure still shows
            }
            int base = 10 + PLOT;
            days.add(new Day(
                    dates.get(i),
                    ok,
                    failed,
                    10 + i * slot,
                    slot - 4,
                    base - okHeight,
                    okHeight,
                    base - okHeight - failedHeight,
                    failedHeight));
        }
        return new ReportDays(List.copyOf(days), "");
    }

    static ReportDays unavailable(String problem) {
        return new ReportDays(List.of(), problem);
    }

    public int width() {
        return WIDTH;
    }

    public int height() {
        return HEIGHT;
    }
}
