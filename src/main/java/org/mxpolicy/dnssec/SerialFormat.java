package org.mxpolicy.dnssec;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * How the signer advances the SOA serial. Every format only ever moves the serial forward in
 * RFC 1982 serial number arithmetic, so secondaries always see a newer zone.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc1982">RFC 1982</a>
 */
public enum SerialFormat {
    /** The serial plus one (BIND's and Knot's {@code increment}). */
    INCREMENT,
    /** Seconds since 1970 (UTC), or the serial plus one if that is not newer. */
    UNIXTIME,
    /** {@code YYYYMMDDnn} of the UTC date, or the serial plus one if that is not newer. */
    DATE;

    /** Serial numbers are 32 bits wide (RFC 1035 section 3.3.13). */
    private static final long MODULUS = 1L << 32;

    private static final long HALF = 1L << 31;

    /** The next serial after {@code current} at time {@code now}. */
    public long next(long current, Instant now) {
        long incremented = (current + 1) % MODULUS;
        return switch (this) {
            case INCREMENT -> incremented;
            case UNIXTIME ->
                newer(now.getEpochSecond() % MODULUS, current) ? now.getEpochSecond() % MODULUS : incremented;
            case DATE -> {
                LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
                long serial = (day.getYear() * 10000L + day.getMonthValue() * 100L + day.getDayOfMonth()) * 100L;
                yield newer(serial, current) ? serial : incremented;
            }
        };
    }

    /** RFC 1982 section 3.2: whether serial {@code a} is greater than serial {@code b}. */
    public static boolean newer(long a, long b) {
        return (a < b && b - a > HALF) || (a > b && a - b < HALF);
    }

    /** The newer of two serials in RFC 1982 arithmetic. */
    public static long max(long a, long b) {
        return newer(b, a) ? b : a;
    }

    /** By name as users type it: increment, unixtime, date. */
    public static Optional<SerialFormat> parse(String text) {
        for (SerialFormat f : values()) {
            if (f.name().equalsIgnoreCase(text.strip())) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
