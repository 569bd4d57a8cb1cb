package org.mxpolicy.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A time line drawn as inline SVG on the server: lanes of bars and marks over a window of time,
 * with the present marked. Coordinates are computed here so the template only writes them out;
 * every bar and mark carries its text, shown beside it and listed in a table below the drawing,
 * so the drawing is never the only way to read it.
 *
 * @param caption what the time line shows
 * @param width the drawing's width in SVG units
 * @param height the drawing's height in SVG units
 * @param nowX where the present is
 * @param ticks the dates along the axis
 * @param lanes one per thing on the line
 */
public record Timeline(String caption, int width, int height, int nowX, List<Tick> ticks, List<Lane> lanes) {

    static final int WIDTH = 720;
    static final int LABEL = 200;
    static final int LANE = 26;
    static final int TOP = 24;

    /** A date on the axis. */
    public record Tick(int x, String label) {}

    /**
     * A row of the drawing.
     *
     * @param label what the lane is, in full (the list under the drawing)
     * @param shortLabel what the drawing writes beside it
     */
    public record Lane(String label, String shortLabel, int y, List<Bar> bars, List<Mark> marks) {}

    /**
     * A span of time: {@code level} colours it, {@code text} says what it is and when.
     *
     * @param open whether it goes on past the window's end
     */
    public record Bar(int x, int width, Level level, String text, boolean open) {}

    /** A point in time such as a gate's end or an expiry. */
    public record Mark(int x, String text) {}

    /** Collects lanes over the window {@code [from, to]}. */
    static final class Builder {
        private final String caption;
        private final Instant from;
        private final Instant to;
        private final Instant now;
        private final List<Lane> lanes = new ArrayList<>();
        private List<Bar> bars = new ArrayList<>();
        private List<Mark> marks = new ArrayList<>();
        private String label;
        private String shortLabel;

        Builder(String caption, Instant from, Instant to, Instant now) {
            this.caption = caption;
            this.from = from;
            this.to = to;
            this.now = now;
        }

        Builder lane(String laneLabel) {
            return lane(laneLabel, laneLabel);
        }

        Builder lane(String laneLabel, String drawn) {
            flush();
            this.label = laneLabel;
            this.shortLabel = drawn;
            return this;
        }

        Builder bar(Instant start, Instant end, Level level, String text) {
            int x1 = x(start);
            int x2 = x(end);
            bars.add(new Bar(x1, Math.max(2, x2 - x1), level, text, end.isAfter(to)));
            return this;
        }

        Builder mark(Instant at, String text) {
            marks.add(new Mark(x(at), text));
            return this;
        }

        Timeline build() {
            flush();
            List<Tick> ticks = new ArrayList<>();
            long span = Duration.between(from, to).toSeconds();
            for (int i = 0; i <= 4; i++) {
                Instant at = from.plusSeconds(span * i / 4);
                ticks.add(new Tick(x(at), Times.day(at)));
            }
            return new Timeline(caption, WIDTH, TOP + lanes.size() * LANE + 8, x(now), ticks, List.copyOf(lanes));
        }

        private void flush() {
            if (label != null) {
                lanes.add(
                        new Lane(label, shortLabel, TOP + lanes.size() * LANE, List.copyOf(bars), List.copyOf(marks)));
            }
            bars = new ArrayList<>();
            marks = new ArrayList<>();
        }

        /** The x of an instant, clamped to the window. */
        private int x(Instant at) {
            double span = Duration.between(from, to).toSeconds();
            double t = Duration.between(from, at).toSeconds() / span;
            t = Math.max(0, Math.min(1, t));
            return LABEL + (int) Math.round(t * (WIDTH - LABEL - 8));
        }
    }
}
