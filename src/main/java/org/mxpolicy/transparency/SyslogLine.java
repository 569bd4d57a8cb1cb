package org.mxpolicy.transparency;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of a mail log, split into its date, the program's tag ({@code postfix/smtp[4711]}) and
 * the message. Two timestamp forms are read: the traditional syslog one without a year
 * ({@code Dec  7 23:59:01}; Postfix's own {@code maillog_file} pads the day with a zero,
 * {@code Dec 07}; fractions of a second are allowed), whose year the caller supplies, and RFC 3339
 * ({@code 2026-12-07T23:59:01.123456+01:00}, as rsyslog and journald write on Debian 12), whose
 * date is taken as written, in the offset of the line.
 *
 * @param date the day the line was logged, in the log's own time zone
 * @param host the host name field
 * @param tag the program and process id, e.g. {@code postfix/smtp[4711]}: one SMTP client
 *     process
 * @param program the program, e.g. {@code postfix/smtp} or {@code postfix-out/smtp}
 * @param message what follows {@code ": "}
 */
record SyslogLine(LocalDate date, String host, String tag, String program, String message) {

    private static final Pattern TRADITIONAL = Pattern.compile(
            "^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\\d{1,2}) \\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?"
                    + " (\\S+) ((\\S+?)(?:\\[\\d+\\])?): (.*)$");
    private static final Pattern RFC3339 =
            Pattern.compile("^(\\d{4}-\\d{2}-\\d{2})[T ]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:Z|[+-]\\d{2}:?\\d{2})"
                    + " (\\S+) ((\\S+?)(?:\\[\\d+\\])?): (.*)$");
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /**
     * Reads a line; {@code year} is the year of a traditional timestamp.
     *
     * @return empty when the line is neither form, or names a day that does not exist
     */
    static Optional<SyslogLine> parse(String line, int year) {
        Matcher m = RFC3339.matcher(line);
        if (m.matches()) {
            try {
                return Optional.of(
                        new SyslogLine(LocalDate.parse(m.group(1)), m.group(2), m.group(3), m.group(4), m.group(5)));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        m = TRADITIONAL.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        int month = month(m.group(1));
        int day = Integer.parseInt(m.group(2));
        if (day < 1 || day > LocalDate.of(year, month, 1).lengthOfMonth()) {
            return Optional.empty();
        }
        return Optional.of(
                new SyslogLine(LocalDate.of(year, month, day), m.group(3), m.group(4), m.group(5), m.group(6)));
    }

    /**
     * The month (1 to 12) of a line with a traditional timestamp, or 0 for any other line: how
     * a reader notices the year change in a log that runs over New Year.
     */
    static int traditionalMonth(String line) {
        if (line.length() < 4 || line.charAt(3) != ' ') {
            return 0;
        }
        int index = MONTHS.indexOf(line.substring(0, 3));
        return index < 0 || index % 3 != 0 ? 0 : index / 3 + 1;
    }

    private static int month(String name) {
        return MONTHS.indexOf(name) / 3 + 1;
    }
}
