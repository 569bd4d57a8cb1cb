package org.mxpolicy.transparency;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The log reader on lines as Postfix 3.7 writes them: the TLS summary of {@code tls_log_summary()}
 * ("%s TLS connection %s %s %s: %s with cipher %s (%d/%d bits)", with the key-exchange and
 * signature details Postfix 3.4 and later append) and the delivery status lines of the SMTP
 * client.
 */
class PostfixLogReaderTest {

    private static final String VERIFIED = "Dec  7 23:58:59 mail postfix/smtp[4711]: Verified TLS connection"
            + " established to mx1.dane.example[192.0.2.25]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384"
            + " (256/256 bits) key-exchange X25519 server-signature ECDSA (P-256) server-digest SHA256";

    private final List<Exchange> exchanges = new ArrayList<>();

    private PostfixLogReader read(int endYear, String... lines) throws IOException {
        PostfixLogReader reader = new PostfixLogReader();
        read(reader, endYear, lines);
        return reader;
    }

    private void read(PostfixLogReader reader, int endYear, String... lines) throws IOException {
        String text = String.join("\n", lines) + "\n";
        reader.read(new LogSource("mail.log", endYear, () -> new StringReader(text)), exchanges::add);
    }

    @Test
    void aTlsSessionIsJoinedToTheDeliveriesOfItsProcessAndRelay() throws IOException {
        PostfixLogReader reader = read(
                2026,
                VERIFIED,
                "Dec  7 23:58:59 mail postfix/smtp[4712]: Untrusted TLS connection established to"
                        + " mx.tls.example[198.51.100.7]:25: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)",
                "Dec  7 23:59:01 mail postfix/smtp[4711]: 4R8Kp52d3Mz9vG: to=<alice@dane.example>,"
                        + " relay=mx1.dane.example[192.0.2.25]:25, delay=0.52, delays=0.08/0.01/0.24/0.19, dsn=2.0.0,"
                        + " status=sent (250 2.0.0 Ok: queued as 4R8Kp60pQdz1xy)",
                "Dec  7 23:59:01 mail postfix/smtp[4711]: 4R8Kp52d3Mz9vG: to=<Bob@DANE.example>,"
                        + " orig_to=<bob@lists.provider.example>, relay=mx1.dane.example[192.0.2.25]:25, delay=0.52,"
                        + " delays=0.08/0.01/0.24/0.19, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4R8Kp60pQdz1xy)",
                "Dec  7 23:59:02 mail postfix/smtp[4712]: 3F2A81C0412: to=<carol@tls.example>,"
                        + " relay=mx.tls.example[198.51.100.7]:25, delay=1.1, delays=0.1/0/0.6/0.4, dsn=2.0.0,"
                        + " status=sent (250 OK id=1rBxyz-000abc-2Q)");

        assertThat(exchanges)
                .containsExactly(
                        new Exchange(
                                LocalDate.of(2026, 12, 7),
                                "dane.example",
                                "mx1.dane.example[192.0.2.25]:25",
                                TlsLevel.VERIFIED,
                                Optional.of("TLSv1.3"),
                                Optional.of("TLS_AES_256_GCM_SHA384"),
                                true),
                        new Exchange(
                                LocalDate.of(2026, 12, 7),
                                "dane.example",
                                "mx1.dane.example[192.0.2.25]:25",
                                TlsLevel.VERIFIED,
                                Optional.of("TLSv1.3"),
                                Optional.of("TLS_AES_256_GCM_SHA384"),
                                true),
                        new Exchange(
                                LocalDate.of(2026, 12, 7),
                                "tls.example",
                                "mx.tls.example[198.51.100.7]:25",
                                TlsLevel.UNTRUSTED,
                                Optional.of("TLSv1.2"),
                                Optional.of("ECDHE-RSA-AES256-GCM-SHA384"),
                                true));
        assertThat(reader.reading().lines()).isEqualTo(5);
        assertThat(reader.reading().badLines()).isZero();
        assertThat(reader.reading().tlsSessions()).isEqualTo(2);
    }

    @Test
    void aDeliveryWithoutTlsLineIsPlaintextAndSoIsTheNextMessageOfTheSameProcess() throws IOException {
        read(
                2026,
                "Dec  8 08:00:00 mail postfix/smtp[900]: 1A2B3C4D5E: to=<x@plain.example>,"
                        + " relay=mx.plain.example[203.0.113.9]:25, delay=0.3, delays=0.1/0/0.1/0.1, dsn=2.0.0,"
                        + " status=sent (250 Ok)",
                VERIFIED.replace("[4711]", "[901]"),
                "Dec  8 08:00:02 mail postfix/smtp[901]: 2B3C4D5E6F: to=<a@dane.example>,"
                        + " relay=mx1.dane.example[192.0.2.25]:25, delay=0.3, delays=0.1/0/0.1/0.1, dsn=2.0.0,"
                        + " status=sent (250 Ok)",
                // the same process, another message, no TLS line: a connection of its own, in cleartext
                "Dec  8 08:05:00 mail postfix/smtp[901]: 3C4D5E6F70: to=<b@dane.example>,"
                        + " relay=mx1.dane.example[192.0.2.25]:25, delay=0.3, delays=0.1/0/0.1/0.1, dsn=2.0.0,"
                        + " status=sent (250 Ok)");

        assertThat(exchanges)
                .extracting(Exchange::level)
                .containsExactly(TlsLevel.PLAINTEXT, TlsLevel.VERIFIED, TlsLevel.PLAINTEXT);
        assertThat(exchanges.get(0).protocol()).isEmpty();
    }

    @Test
    void anInboundSessionLocalDeliveryAndFailedConnectionsAreNoExchangeButDeferralsAre() throws IOException {
        PostfixLogReader reader = read(
                2026,
                "Dec  8 09:00:00 mail postfix/smtpd[300]: Anonymous TLS connection established from"
                        + " unknown[198.51.100.1]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
                "Dec  8 09:00:01 mail postfix/local[301]: 4F00AA: to=<root@mail.provider.example>, relay=local,"
                        + " delay=0.1, delays=0.05/0/0/0.05, dsn=2.0.0, status=sent (delivered to mailbox)",
                "Dec  8 09:00:02 mail postfix/smtp[302]: 5F00BB: to=<x@down.example>, relay=none, delay=30,"
                        + " delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to mx.down.example[192.0.2.99]:25:"
                        + " Connection timed out)",
                "Dec  8 09:00:03 mail postfix/smtp[303]: Untrusted TLS connection established to"
                        + " mx1.dane.example[192.0.2.25]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)",
                "Dec  8 09:00:03 mail postfix/smtp[303]: server certificate verification failed for"
                        + " mx1.dane.example[192.0.2.25]:25: num=0:no matching DANE TLSA records",
                "Dec  8 09:00:03 mail postfix/smtp[303]: 6F00CC: to=<y@dane.example>,"
                        + " relay=mx1.dane.example[192.0.2.25]:25, delay=0.2, delays=0/0/0.2/0, dsn=4.7.5,"
                        + " status=deferred (Server certificate not verified)");

        assertThat(exchanges).hasSize(1);
        assertThat(exchanges.get(0).delivered()).isFalse();
        assertThat(exchanges.get(0).level()).isEqualTo(TlsLevel.UNTRUSTED);
        assertThat(reader.reading().tlsSessions()).isEqualTo(1);
        assertThat(reader.reading().badLines()).isZero();
    }

    @Test
    void rfc3339TimestampsAreDatedAsWritten() throws IOException {
        read(
                1999,
                "2026-12-07T23:58:59.813421+01:00 mail postfix/smtp[4711]: Trusted TLS connection established to"
                        + " mx.ca.example[192.0.2.80]:25: TLSv1.2 with cipher ECDHE-ECDSA-AES128-GCM-SHA256 (128/128 bits)",
                "2026-12-08T00:00:01.000120+01:00 mail postfix/smtp[4711]: 7A7A7A7A7A: to=<z@ca.example>,"
                        + " relay=mx.ca.example[192.0.2.80]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=2.0.0,"
                        + " status=sent (250 2.0.0 Ok)");

        assertThat(exchanges).singleElement().satisfies(e -> {
            assertThat(e.date()).isEqualTo(LocalDate.of(2026, 12, 8));
            assertThat(e.level()).isEqualTo(TlsLevel.TRUSTED);
        });
    }

    @Test
    void aLogOverNewYearIsDatedBackFromTheYearItEnds() throws IOException {
        read(
                2027,
                "Feb 29 10:00:00 mail postfix/smtp[1]: 0A: to=<a@plain.example>, relay=mx.plain.example[203.0.113.9]:25,"
                        + " delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 Ok)",
                "Dec 31 23:59:59 mail postfix/smtp[1]: 0B: to=<a@plain.example>, relay=mx.plain.example[203.0.113.9]:25,"
                        + " delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 Ok)",
                "Jan  1 00:00:01 mail postfix/smtp[1]: 0C: to=<a@plain.example>, relay=mx.plain.example[203.0.113.9]:25,"
                        + " delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 Ok)",
                // Postfix's own maillog_file pads the day with a zero; some syslogs add fractions of a second
                "Jan 02 00:00:01.123456 mail postfix/smtp[1]: 0D: to=<a@plain.example>,"
                        + " relay=mx.plain.example[203.0.113.9]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 Ok)");

        // 2026 has no 29 February: that line is bad, the year of the others is right
        assertThat(exchanges)
                .extracting(Exchange::date)
                .containsExactly(LocalDate.of(2026, 12, 31), LocalDate.of(2027, 1, 1), LocalDate.of(2027, 1, 2));
    }

    @Test
    void badLinesAreCountedWithTheirPositionAndReadingGoesOn() throws IOException {
        PostfixLogReader reader = read(
                2026,
                "this is not a syslog line",
                "Dec  8 10:00:00 mail postfix/smtp[5]: Verified TLS connection established to (truncated at rotation",
                "Dec  8 10:00:01 mail postfix/smtp[5]: 9C9C: to=<broken@example",
                "",
                "Dec  8 10:00:02 mail postfix/smtp[6]: 9D9D: to=<ok@plain.example>,"
                        + " relay=mx.plain.example[203.0.113.9]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 Ok)",
                "Dec  8 10:00:03 mail postfix/qmgr[7]: 9D9D: removed");

        assertThat(exchanges).hasSize(1);
        assertThat(reader.reading().lines()).isEqualTo(5);
        assertThat(reader.reading().badLines()).isEqualTo(3);
        assertThat(reader.reading().firstBadLines()).containsExactly("mail.log:1", "mail.log:2", "mail.log:3");
    }

    @Test
    void theTableOfOpenSessionsIsBoundedAndCountsWhatItDrops() throws IOException {
        PostfixLogReader reader = new PostfixLogReader(2);
        read(
                reader,
                2026,
                VERIFIED.replace("[4711]", "[1]"),
                VERIFIED.replace("[4711]", "[2]"),
                VERIFIED.replace("[4711]", "[3]"),
                "Dec  7 23:59:01 mail postfix/smtp[1]: 1111: to=<a@dane.example>, relay=mx1.dane.example[192.0.2.25]:25,"
                        + " delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 Ok)",
                "Dec  7 23:59:01 mail postfix/smtp[3]: 3333: to=<c@dane.example>, relay=mx1.dane.example[192.0.2.25]:25,"
                        + " delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 Ok)");

        assertThat(exchanges).extracting(Exchange::level).containsExactly(TlsLevel.PLAINTEXT, TlsLevel.VERIFIED);
        assertThat(reader.reading().evictedSessions()).isEqualTo(1);
    }

    @Test
    void aConnectionAtTheEndOfARotatedFileMeetsItsDeliveriesInTheNext() throws IOException {
        PostfixLogReader reader = new PostfixLogReader();
        read(reader, 2026, VERIFIED);
        read(
                reader,
                2026,
                "Dec  7 23:59:01 mail postfix/smtp[4711]: 4R8Kp52d3Mz9vG: to=<alice@dane.example>,"
                        + " relay=mx1.dane.example[192.0.2.25]:25, delay=0.52, delays=0.08/0.01/0.24/0.19, dsn=2.0.0,"
                        + " status=sent (250 2.0.0 Ok)");

        assertThat(exchanges).extracting(Exchange::level).containsExactly(TlsLevel.VERIFIED);
    }

    @Test
    void aLineLongerThanAnySyslogMessageIsCountedBadAndNotHeld() throws IOException {
        String padded = VERIFIED + " " + "x".repeat(LogLines.MAX_CHARS);
        String nuls = "\0".repeat(3 * LogLines.MAX_CHARS);

        PostfixLogReader reader = read(
                2026,
                padded,
                nuls,
                VERIFIED,
                "Dec  7 23:59:01 mail postfix/smtp[4711]: 4R8Kp52d3Mz9vG: to=<alice@dane.example>,"
                        + " relay=mx1.dane.example[192.0.2.25]:25, delay=0.52, dsn=2.0.0,"
                        + " status=sent (250 2.0.0 Ok)");

        assertThat(reader.reading().badLines()).isEqualTo(2);
        assertThat(reader.reading().firstBadLines()).containsExactly("mail.log:1", "mail.log:2");
        assertThat(reader.reading().tlsSessions()).isEqualTo(1);
        assertThat(exchanges).extracting(Exchange::level).containsExactly(TlsLevel.VERIFIED);
    }

    @Test
    void linesEndWithLfOrCrLfAndALastLineNeedsNoEnd() throws IOException {
        var lines = new LogLines(new StringReader("a\r\n\nb\nlast"));

        assertThat(lines.next()).isEqualTo("a");
        assertThat(lines.next()).isEmpty();
        assertThat(lines.next()).isEqualTo("b");
        assertThat(lines.next()).isEqualTo("last");
        assertThat(lines.next()).isNull();
    }
}
