package org.mxpolicy.check;

import java.time.Duration;

/** Durations the way an operator reads them: {@code 3d 4h}, {@code 12m}, {@code 40s}. */
final class Durations {

    private Durations() {}

    static String text(Duration d) {
        long s = d.toSeconds();
        if (s >= 86_400) {
            long h = (s % 86_400) / 3600;
            return s / 86_400 + "d" + (h > 0 ? " " + h + "h" : "");
        }
        if (s >= 3600) {
            long m = (s % 3600) / 60;
            return s / 3600 + "h" + (m > 0 ? " " + m + "m" : "");
        }
        if (s >= 60) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
