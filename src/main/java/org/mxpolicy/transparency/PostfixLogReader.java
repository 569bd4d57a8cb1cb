package org.mxpolicy.transparency;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the outbound side of a Postfix mail log, line by line, and hands on every delivery to a
 * remote exchange with the TLS it went over. Two kinds of line of the SMTP client are used:
 *
 * <ul>
 *   <li>the TLS summary, logged per connection with {@code smtp_tls_loglevel} 1 or more, in
 *       the format of Postfix's {@code tls_log_summary()}: {@code "%s TLS connection %s %s
 *       %s: %s with cipher %s (%d/%d bits)"}, e.g. {@code Verified TLS connection established
 *       to mx.example.net[192.0.2.25]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384
 *       (256/256 bits) key-exchange X25519 ...};
 *   <li>the delivery status, one per recipient, {@code QUEUEID: to=<user@example.net>,
 *       relay=mx.example.net[192.0.2.25]:25, delay=..., dsn=2.0.0, status=sent (...)}.
 * </ul>
 *
 * The TLS line carries no queue id; the two are joined by the process that logged them and the
 * relay ({@link OpenConnections}). Memory stays bounded however long the log: lines are streamed,
 * and only the sessions of processes between their TLS line and their deliveries are held; a line
 * longer than {@link LogLines#MAX_CHARS} is counted bad, not held.
 *
 * <p>Timestamps without a year (traditional syslog) are dated in the source's end year, counting
 * back one year for each New Year the log runs over: a first pass over the source counts the
 * months going down ({@code Dec} followed by {@code Jan}), so the first line gets its year right.
 */
public final class PostfixLogReader {

    /** Sessions held at most: above any process limit of one MTA. */
    public static final int DEFAULT_SESSIONS = 10_000;

    private static final Pattern TLS = Pattern.compile(
            "^(Verified|Trusted|Untrusted|Anonymous) TLS connection (?:established|reused) (to|from) (\\S+): (\\S+)"
                    + " with cipher (\\S+) \\((\\d+)/(\\d+) bits\\)");
    private static final Pattern TLS_START = Pattern.compile("^(Verified|Trusted|Untrusted|Anonymous) TLS connection ");
    private static final Pattern DELIVERY = Pattern.compile("^([0-9A-Za-z]+): to=<([^>]*)>, (?:orig_to=<[^>]*>, )?"
            + "relay=([^,\\s]+), (?:.*?, )?status=(sent|deferred|bounced|expired|undeliverable|deliverable)\\b");
    private static final Pattern DELIVERY_START = Pattern.compile("^[0-9A-Za-z]+: to=<");
    /** A remote exchange as Postfix names it: {@code host[address]:port}. */
    private static final Pattern NETWORK_RELAY = Pattern.compile("^[^\\[\\]]+\\[[0-9A-Fa-f.:]+\\]:\\d+$");

    private final OpenConnections connections;
    private final LogReading reading = new LogReading();

    public PostfixLogReader() {
        this(DEFAULT_SESSIONS);
    }

    /** A reader holding at most {@code sessions} open TLS sessions. */
    public PostfixLogReader(int sessions) {
        this.connections = new OpenConnections(sessions);
    }

    /**
     * Reads one log. Logs of one MTA are read oldest first through one reader, so that a
     * connection logged at the end of a rotated file meets its deliveries in the next.
     *
     * @throws IOException the log cannot be read (not: a line cannot be understood)
     */
    public void read(LogSource source, Consumer<Exchange> sink) throws IOException {
        int year = source.endYear() - newYears(source);
        int lastMonth = 0;
        long before = connections.evicted();
        try (LogLines lines = new LogLines(source.opener().open())) {
            long number = 0;
            for (String line = lines.next(); line != null; line = lines.next()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                reading.line();
                if (lines.cut()) {
                    reading.bad(source.name(), number);
                    continue;
                }
                int month = SyslogLine.traditionalMonth(line);
                if (month != 0) {
                    if (month < lastMonth) {
                        year++;
                    }
                    lastMonth = month;
                }
                Optional<SyslogLine> parsed = SyslogLine.parse(line, year);
                if (parsed.isEmpty()) {
                    reading.bad(source.name(), number);
                    continue;
                }
                if (!understood(parsed.get(), sink)) {
                    reading.bad(source.name(), number);
                }
            }
        }
        reading.evicted(connections.evicted() - before);
    }

    /** What reading came to so far. */
    public LogReading reading() {
        return reading;
    }

    /** How many times the months of traditional timestamps go down: New Years the log runs over. */
    private static int newYears(LogSource source) throws IOException {
        int count = 0;
        int lastMonth = 0;
        try (LogLines lines = new LogLines(source.opener().open())) {
            for (String line = lines.next(); line != null; line = lines.next()) {
                int month = SyslogLine.traditionalMonth(line);
                if (month != 0) {
                    if (month < lastMonth) {
                        count++;
                    }
                    lastMonth = month;
                }
            }
        }
        return count;
    }

    /** Handles one line; false when it is one of the two kinds but broken. */
    private boolean understood(SyslogLine line, Consumer<Exchange> sink) {
        String message = line.message();
        Matcher tls = TLS.matcher(message);
        if (tls.lookingAt()) {
            if (tls.group(2).equals("to")) {
                connections.established(
                        line.tag(),
                        tls.group(3),
                        TlsLevel.ofPostfixWord(tls.group(1)).orElseThrow(),
                        tls.group(4),
                        tls.group(5));
                reading.tlsSession();
            }
            return true;
        }
        if (TLS_START.matcher(message).lookingAt()) {
            return false;
        }
        Matcher delivery = DELIVERY.matcher(message);
        if (delivery.lookingAt()) {
            String relay = delivery.group(3);
            if (!NETWORK_RELAY.matcher(relay).matches()) {
                return true; // local, virtual, pipe, or no connection at all (relay=none)
            }
            String recipient = delivery.group(2);
            int at = recipient.lastIndexOf('@');
            if (at < 0 || at == recipient.length() - 1) {
                return true;
            }
            String domain = recipient.substring(at + 1).toLowerCase(Locale.ROOT);
            if (domain.endsWith(".")) {
                domain = domain.substring(0, domain.length() - 1);
            }
            OpenConnections.Protection protection = connections.delivery(line.tag(), delivery.group(1), relay);
            reading.delivery();
            sink.accept(new Exchange(
                    line.date(),
                    domain,
                    relay,
                    protection.level(),
                    protection.protocol(),
                    protection.cipher(),
                    delivery.group(4).equals("sent")));
            return true;
        }
        return !DELIVERY_START.matcher(message).lookingAt();
    }
}
