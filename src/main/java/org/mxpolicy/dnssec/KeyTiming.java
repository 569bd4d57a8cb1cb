package org.mxpolicy.dnssec;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key's timing metadata as BIND's {@code dnssec-keygen} and {@code dnssec-settime} keep it in
 * the key files ({@code Publish: 20261207120000}, UTC): when the key is published, becomes
 * active, is revoked, goes inactive and is deleted, and when its CDS/CDNSKEY are published and
 * withdrawn. A key without any of the lifecycle times (as {@code ldns-keygen} writes them) is
 * published and active from the start.
 *
 * <p>{@link #stateAt} follows BIND's smart signing ({@code dnssec-signzone -S}): a key signs
 * from Activate until Inactive; it is published from Publish (or, without a Publish time, while
 * it signs); Revoke publishes it with the REVOKE bit; Delete removes it, whatever else it says.
 */
public final class KeyTiming {

    /** The timing fields, in the order BIND writes them (its {@code DST_TIME_*} numbering). */
    public enum Event {
        CREATED("Created"),
        PUBLISH("Publish"),
        ACTIVATE("Activate"),
        REVOKE("Revoke"),
        INACTIVE("Inactive"),
        DELETE("Delete"),
        /** CDS and CDNSKEY publication (RFC 7344): from SyncPublish until SyncDelete the signer publishes them. */
        SYNC_PUBLISH("SyncPublish"),
        SYNC_DELETE("SyncDelete");

        private final String field;

        Event(String field) {
            this.field = field;
        }

        /** The field name in the key files. */
        public String field() {
            return field;
        }

        /** The event of a key-file field name, if it is one. */
        public static Optional<Event> ofField(String name) {
            for (Event e : values()) {
                if (e.field.equals(name)) {
                    return Optional.of(e);
                }
            }
            return Optional.empty();
        }
    }

    /** A key without timing: published and active from the start, as keys were before timing existed. */
    public static final KeyTiming NONE = new KeyTiming(new EnumMap<>(Event.class));

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuuMMddHHmmss", Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuuMMdd", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern RELATIVE = Pattern.compile("(now)?([+-])(\\d{1,10})(y|mo|w|d|h|mi|s)?");

    private final Map<Event, Instant> times;

    private KeyTiming(EnumMap<Event, Instant> times) {
        this.times = Collections.unmodifiableMap(times);
    }

    /** The timing of a new key as {@code dnssec-keygen} writes it by default: created, published and active now. */
    public static KeyTiming createdAt(Instant created) {
        return NONE.with(Event.CREATED, created).with(Event.PUBLISH, created).with(Event.ACTIVATE, created);
    }

    /** The time of {@code event}, if the key has one. */
    public Optional<Instant> get(Event event) {
        return Optional.ofNullable(times.get(event));
    }

    /** Every time set, in BIND's field order. */
    public Map<Event, Instant> times() {
        return times;
    }

    /** This timing with {@code event} at {@code time} (whole seconds, as the files hold them), or without it when empty. */
    public KeyTiming with(Event event, Optional<Instant> time) {
        EnumMap<Event, Instant> copy = times.isEmpty() ? new EnumMap<>(Event.class) : new EnumMap<>(times);
        if (time.isPresent()) {
            copy.put(event, time.get().truncatedTo(ChronoUnit.SECONDS));
        } else {
            copy.remove(event);
        }
        return new KeyTiming(copy);
    }

    public KeyTiming with(Event event, Instant time) {
        return with(event, Optional.of(time));
    }

    /**
     * Whether any of Publish, Activate, Revoke, Inactive and Delete is set. Without them the key is
     * in use from the start; {@code Created} alone (or the CDS times) does not change that.
     */
    public boolean hasLifecycle() {
        return times.containsKey(Event.PUBLISH)
                || times.containsKey(Event.ACTIVATE)
                || times.containsKey(Event.REVOKE)
                || times.containsKey(Event.INACTIVE)
                || times.containsKey(Event.DELETE);
    }

    /** The key's state at {@code now}. */
    public KeyState stateAt(Instant now) {
        if (!hasLifecycle()) {
            return KeyState.ACTIVE;
        }
        if (reached(Event.DELETE, now)) {
            return KeyState.DELETED;
        }
        boolean signing = reached(Event.ACTIVATE, now) && !reached(Event.INACTIVE, now);
        // BIND publishes a key that signs but has no Publish time; one that has a Publish time waits for it
        boolean published = times.containsKey(Event.PUBLISH) ? reached(Event.PUBLISH, now) : signing;
        if (!published) {
            return KeyState.UNPUBLISHED;
        }
        if (reached(Event.REVOKE, now)) {
            return KeyState.REVOKED;
        }
        if (signing) {
            return KeyState.ACTIVE;
        }
        return reached(Event.INACTIVE, now) ? KeyState.INACTIVE : KeyState.PUBLISHED;
    }

    /**
     * Whether the key's CDS and CDNSKEY are published at {@code now}: SyncPublish reached, SyncDelete
     * not (a SyncDelete before SyncPublish is an older withdrawal, as when CDS is published again).
     */
    public boolean syncedAt(Instant now) {
        Instant from = times.get(Event.SYNC_PUBLISH);
        Instant until = times.get(Event.SYNC_DELETE);
        if (from == null || now.isBefore(from)) {
            return false;
        }
        return until == null || until.isBefore(from) || now.isBefore(until);
    }

    private boolean reached(Event event, Instant now) {
        Instant t = times.get(event);
        return t != null && !now.isBefore(t);
    }

    /**
     * The state at {@code now} with the dates that matter, for messages: {@code active since
     * 2026-11-01T00:00:00Z, inactive from 2026-12-01T00:00:00Z}.
     */
    public String describe(Instant now) {
        KeyState state = stateAt(now);
        if (!hasLifecycle()) {
            return "active (no timing in its files)";
        }
        StringBuilder s = new StringBuilder();
        switch (state) {
            case UNPUBLISHED ->
                s.append(get(Event.PUBLISH)
                        .map(t -> "not published until " + t)
                        .orElse("not published (no Publish time)"));
            case PUBLISHED -> s.append("published, not active");
            case ACTIVE -> s.append("active").append(since(Event.ACTIVATE));
            case INACTIVE -> s.append("inactive").append(since(Event.INACTIVE));
            case REVOKED -> s.append("revoked").append(since(Event.REVOKE));
            case DELETED -> s.append("deleted").append(since(Event.DELETE));
        }
        if (state == KeyState.UNPUBLISHED || state == KeyState.PUBLISHED) {
            s.append(get(Event.ACTIVATE)
                    .filter(now::isBefore)
                    .map(t -> ", active from " + t)
                    .orElse(get(Event.ACTIVATE).isEmpty() ? ", no Activate time" : ""));
        }
        if (state == KeyState.ACTIVE) {
            get(Event.INACTIVE).ifPresent(t -> s.append(", inactive from ").append(t));
        }
        return s.toString();
    }

    private String since(Event event) {
        return get(event).map(t -> " since " + t).orElse("");
    }

    /** {@code YYYYMMDDHHMMSS} in UTC, as the key files hold times. */
    public static String format(Instant time) {
        return TIMESTAMP.format(time.truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * Reads a key-file time, {@code YYYYMMDDHHMMSS} in UTC.
     *
     * @throws IllegalArgumentException when it is not one, with the reason
     */
    public static Instant parse(String text) {
        if (!text.matches("\\d{14}")) {
            throw new IllegalArgumentException("'" + text + "' is not a time of the form YYYYMMDDHHMMSS (UTC)");
        }
        try {
            return LocalDateTime.parse(text, TIMESTAMP.withZone(null)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a valid date and time (YYYYMMDDHHMMSS, UTC)");
        }
    }

    /**
     * Reads a time as {@code dnssec-keygen}'s {@code -P}/{@code -A}/{@code -I}/{@code -D} take it:
     * {@code YYYYMMDDHHMMSS} or {@code YYYYMMDD} (UTC), {@code now}, an offset from now
     * ({@code +30d}, {@code -12h}, {@code now+1w}; units {@code y} (365 days), {@code mo} (30 days),
     * {@code w}, {@code d}, {@code h}, {@code mi}, {@code s}, seconds without a unit), or {@code none}.
     *
     * @return the time, empty for {@code none}
     * @throws IllegalArgumentException when the text is none of these, with the reason
     */
    public static Optional<Instant> parseSetting(String text, Instant now) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("none")) {
            return Optional.empty();
        }
        if (t.equals("now")) {
            return Optional.of(now.truncatedTo(ChronoUnit.SECONDS));
        }
        if (t.matches("\\d{8}")) {
            try {
                return Optional.of(LocalDate.parse(t, DATE).atStartOfDay().toInstant(ZoneOffset.UTC));
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("'" + text + "' is not a valid date (YYYYMMDD, UTC)");
            }
        }
        if (t.matches("\\d{14}")) {
            return Optional.of(parse(t));
        }
        Matcher m = RELATIVE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a time: use YYYYMMDDHHMMSS (UTC), YYYYMMDD,"
                    + " now, an offset such as +30d, -12h or now+1w (y, mo, w, d, h, mi, s), or none");
        }
        long amount = Long.parseLong(m.group(3));
        Duration unit = switch (m.group(4) == null ? "s" : m.group(4)) {
            case "y" -> Duration.ofDays(365);
            case "mo" -> Duration.ofDays(30);
            case "w" -> Duration.ofDays(7);
            case "d" -> Duration.ofDays(1);
            case "h" -> Duration.ofHours(1);
            case "mi" -> Duration.ofMinutes(1);
            default -> Duration.ofSeconds(1);
        };
        Duration offset = unit.multipliedBy(amount);
        Instant base = now.truncatedTo(ChronoUnit.SECONDS);
        return Optional.of(m.group(2).equals("+") ? base.plus(offset) : base.minus(offset));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyTiming other && times.equals(other.times);
    }

    @Override
    public int hashCode() {
        return times.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("KeyTiming[");
        times.forEach(
                (e, t) -> s.append(e.field()).append('=').append(format(t)).append(' '));
        return s.toString().strip() + "]";
    }
}
