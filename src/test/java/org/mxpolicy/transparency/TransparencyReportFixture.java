package org.mxpolicy.transparency;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mxpolicy.tls.TlsRuleSet;
import org.mxpolicy.transparency.Assessment.State;

/**
 * A fixed report: a Postfix log of two days of deliveries to four partners (one with DANE, one
 * with TLS but no DANE, one in cleartext, one authenticated but with a CBC-SHA1 suite), and a
 * history in which {@code tls.example} met the guideline until this report.
 */
final class TransparencyReportFixture {

    static final Instant GENERATED = Instant.parse("2026-12-08T06:00:00Z");
    static final Instant EARLIER = Instant.parse("2026-11-01T06:00:00Z");

    static final String LOG = """
            Dec  6 10:00:00 mail postfix/smtp[101]: Verified TLS connection established to mx1.dane.example[192.0.2.25]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature ECDSA (P-256) server-digest SHA256
            Dec  6 10:00:01 mail postfix/smtp[101]: 4R8Kp52d3Mz9vG: to=<alice@dane.example>, relay=mx1.dane.example[192.0.2.25]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4R8Kp60pQdz1xy)
            Dec  6 10:00:02 mail postfix/smtp[102]: Untrusted TLS connection established to mx.tls.example[198.51.100.7]:25: TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)
            Dec  6 10:00:03 mail postfix/smtp[102]: 4R8Kp52d3Mz9vH: to=<bob@tls.example>, relay=mx.tls.example[198.51.100.7]:25, delay=0.8, delays=0.1/0/0.4/0.3, dsn=2.0.0, status=sent (250 2.0.0 Ok)
            Dec  7 11:00:00 mail postfix/smtp[103]: 4R8Kp52d3Mz9vJ: to=<carol@plain.example>, relay=mx.plain.example[203.0.113.9]:25, delay=0.3, delays=0.1/0/0.1/0.1, dsn=2.0.0, status=sent (250 Ok)
            Dec  7 11:00:04 mail postfix/smtp[104]: Verified TLS connection established to mx.old.example[192.0.2.80]:25: TLSv1.2 with cipher ECDHE-RSA-AES128-SHA (128/128 bits)
            Dec  7 11:00:05 mail postfix/smtp[104]: 4R8Kp52d3Mz9vK: to=<dave@old.example>, relay=mx.old.example[192.0.2.80]:25, delay=0.4, delays=0.1/0/0.2/0.1, dsn=2.0.0, status=sent (250 Ok)
            Dec  7 12:00:00 mail postfix/smtp[101]: Verified TLS connection established to mx1.dane.example[192.0.2.25]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature ECDSA (P-256) server-digest SHA256
            Dec  7 12:00:01 mail postfix/smtp[101]: 4R8Kp52d3Mz9vL: to=<erin@dane.example>, relay=mx1.dane.example[192.0.2.25]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok)
            Dec  7 12:00:02 mail postfix/smtp[101]: 4R8Kp52d3Mz9vL: to=<frank@dane.example>, relay=mx1.dane.example[192.0.2.25]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok)
            Dec  7 12:30:00 mail postfix/smtp[105]: 4R8Kp52d3Mz9vM: to=<gina@plain.example>, relay=none, delay=30, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to mx.plain.example[203.0.113.9]:25: Connection timed out)
            """;

    private TransparencyReportFixture() {}

    static TlsRuleSet rules() {
        return TlsRuleSet.inForceAt(LocalDate.of(2026, 12, 8)).orElseThrow();
    }

    /** The report of {@link #LOG}, with or without the table per day. */
    static TransparencyReport report(boolean perDay) throws IOException {
        return report(LOG, perDay);
    }

    static TransparencyReport report(String log, boolean perDay) throws IOException {
        TrafficTally tally = new TrafficTally(rules());
        PostfixLogReader reader = new PostfixLogReader();
        reader.read(new LogSource("mail.log", 2026, () -> new StringReader(log)), tally);
        Map<String, PartnerTraffic> traffic = tally.partners();
        List<PartnerVerdict> verdicts = PartnerJudge.judge(List.of(), Map.of(), traffic);
        List<TransparencyReport.Entry> entries = new ArrayList<>();
        for (PartnerVerdict verdict : verdicts) {
            PartnerHistory history = verdict.domain().equals("tls.example")
                    ? new PartnerHistory(
                            GENERATED,
                            Optional.of(new PastVerdict(
                                    new VerdictState(
                                            State.MET, State.MET, State.MET, State.NOT_CHECKED, State.NOT_CHECKED),
                                    EARLIER,
                                    GENERATED)))
                    : new PartnerHistory(EARLIER, Optional.empty());
            entries.add(new TransparencyReport.Entry(verdict, history));
        }
        return new TransparencyReport(
                GENERATED,
                rules().describe(),
                entries,
                false,
                Optional.of(new TransparencyReport.LogSummary(
                        List.of("mail.log"),
                        reader.reading(),
                        Optional.of(LocalDate.of(2026, 12, 6)),
                        Optional.of(LocalDate.of(2026, 12, 7)))),
                perDay ? tally.perDay() : new java.util.TreeMap<>());
    }
}
