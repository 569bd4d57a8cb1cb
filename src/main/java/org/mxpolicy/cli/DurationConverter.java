package org.mxpolicy.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as BIND and Knot configs write them: a number and a unit, {@code s}, {@code m},
 * {@code h}, {@code d} or {@code w} ({@code 14d}, {@code 12h}); a plain number is seconds.
 */
final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhdw]?)");

    @Override
    public Duration convert(String value) {
        Matcher m = DURATION.matcher(value.strip().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException(
                    "'" + value + "' is not a duration such as 14d, 12h, 30m or 3600 (seconds)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "", "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(7 * n);
            default -> throw new IllegalStateException(m.group(2));
        };
    }

    /** The shortest form of a duration in these units, for messages. */
    static String format(Duration d) {
        long s = d.toSeconds();
        if (s != 0 && s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
