package org.mxpolicy.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The DNSSEC key events of a zone on its domain page: a time line with a lane per key (published,
 * active, retired, with a mark at each event and at the next one), and the same as a table.
 *
 * @param seenAt when the last {@code keys run} saw the zone
 * @param rows one per key
 */
public record KeyEventsView(String zone, String seenAt, List<Row> rows, Timeline timeline) {

    /**
     * A key in words.
     *
     * @param events its timing, e.g. {@code publish 2026-11-01 00:00 UTC}
     * @param next what happens next, with its time when one is known
     */
    public record Row(String key, String role, String phase, List<String> events, String next) {}

    /** How far back the line reaches at most: a key active for years is drawn from here. */
    private static final Duration BACK = Duration.ofDays(120);

    static KeyEventsView of(ZoneKeys keys, Instant now) {
        Instant from = now.minus(Duration.ofDays(14));
        Instant to = now.plus(Duration.ofDays(14));
        for (ZoneKeys.Key k : keys.keys()) {
            for (ZoneKeys.Event e : k.events()) {
                from = min(from, max(e.at(), now.minus(BACK)));
                to = max(to, min(e.at(), now.plus(BACK)));
            }
            if (k.status().nextAt().isPresent()) {
                to = max(to, min(k.status().nextAt().get(), now.plus(BACK)));
            }
        }
        to = to.plus(Duration.ofDays(1));
        Timeline.Builder t = new Timeline.Builder("DNSSEC key events of " + keys.zone(), from, to, now);
        List<Row> rows = new ArrayList<>();
        for (ZoneKeys.Key k : keys.keys()) {
            var s = k.status();
            String label = s.role().name() + " " + s.key().tag();
            t.lane(s.name() + " (" + s.role().name() + ", " + s.phase().words() + ")", label);
            Optional<Instant> publish = at(k, "publish");
            Optional<Instant> activate = at(k, "activate");
            Optional<Instant> inactive = at(k, "inactive");
            Optional<Instant> delete = at(k, "delete");
            Instant end = to.plusSeconds(1);
            if (publish.isPresent()) {
                Instant until = activate.or(() -> delete).orElse(end);
                t.bar(publish.get(), until, Level.NONE, "published " + Times.instant(publish.get()));
            }
            if (activate.isPresent()) {
                Instant until = inactive.or(() -> delete).orElse(end);
                t.bar(activate.get(), until, Level.OK, "active from " + Times.instant(activate.get()));
            }
            if (inactive.isPresent()) {
                Instant until = delete.orElse(end);
                t.bar(inactive.get(), until, Level.WARNING, "retired from " + Times.instant(inactive.get()));
            }
            // the bars start at publish, activate and inactive; delete ends them, so it gets a mark
            delete.ifPresent(at -> t.mark(at, "delete " + Times.instant(at)));
            s.nextAt().ifPresent(at -> t.mark(at, "next: " + s.next()));
            rows.add(new Row(
                    s.name(),
                    s.role().name() + " (" + s.role().words() + ")",
                    s.phase().words(),
                    k.events().stream()
                            .map(e -> e.what() + " " + Times.instant(e.at()))
                            .toList(),
                    s.next()));
        }
        return new KeyEventsView(keys.zone(), keys.seen().map(Times::instant).orElse("never"), rows, t.build());
    }

    private static Optional<Instant> at(ZoneKeys.Key k, String what) {
        return k.events().stream()
                .filter(e -> e.what().equals(what))
                .map(ZoneKeys.Event::at)
                .findFirst();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
