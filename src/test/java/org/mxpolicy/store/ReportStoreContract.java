package org.mxpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.intake.MailIntake;
import org.mxpolicy.intake.Quarantine;
import org.mxpolicy.testing.ReportCorpus;
import org.mxpolicy.tlsrpt.ParsedReport;
import org.mxpolicy.tlsrpt.ReportLimits;
import org.mxpolicy.tlsrpt.ReportParser;
import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.ReportSummary;

/**
 * What every report store does, run against SQLite ({@link SqliteReportStoreTest}) and PostgreSQL
 * ({@link PostgresReportStoreIT}): both must give the same summaries from the same reports.
 */
abstract class ReportStoreContract {

    static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");
    static final List<String> CORPUS = List.of(
            "rfc8460-example.eml",
            "google-shape.eml",
            "microsoft-shape.eml",
            "quirks-application-gzip.eml",
            "multi-policy-json-body.eml");

    /** A store on an empty database of its own. */
    abstract ReportStore openEmpty() throws Exception;

    /** The summary every store must give for {@link #CORPUS}, since 2026-11-30. */
    static final String EXPECTED_SUMMARY = String.join(
            "\n",
            "example.com|sts|mx1.example.com mx2.example.com|1717|5|3|2026-12-03T00:00:00Z|2026-12-06T23:59:59Z"
                    + "|{certificate-expired=3, sts-webpki-invalid=2}|{Google LLC=3, Small Mail AG=2}",
            "example.com|tlsa|mx1.example.com|1100|14|2|2026-12-04T00:00:00Z|2026-12-06T23:59:59Z"
                    + "|{tlsa-invalid=10, dnssec-invalid=4}|{Microsoft Corporation=10, Mail Provider GmbH=4}",
            "example.com|tlsa|mx2.example.com|250|0|1|2026-12-06T00:00:00Z|2026-12-06T23:59:59Z|{}|{}",
            "example.org|no-policy-found||40|1|1|2026-12-06T00:00:00Z|2026-12-06T23:59:59Z"
                    + "|{starttls-not-supported=1}|{Mail Provider GmbH=1}");

    static String lines(List<ReportSummary.Group> groups) {
        return String.join(
                "\n",
                groups.stream()
                        .map(g -> String.join(
                                "|",
                                g.domain(),
                                g.policyType(),
                                g.mxHosts(),
                                Long.toString(g.successful()),
                                Long.toString(g.failed()),
                                Long.toString(g.reports()),
                                g.firstSeen().toString(),
                                g.lastSeen().toString(),
                                g.byResultType().toString(),
                                g.byOrganization().toString()))
                        .toList());
    }

    private static void ingestCorpus(ReportStore store, java.nio.file.Path quarantine) throws Exception {
        MailIntake intake = new MailIntake(ReportLimits.defaults(), store, new Quarantine(quarantine, 1 << 20));
        for (String mail : CORPUS) {
            assertThat(intake.ingest(ReportCorpus.bytes(mail), mail, NOW).stored())
                    .as(mail)
                    .isEqualTo(1);
        }
    }

    @Test
    void theCorpusSumsUpPerDomainPolicyTypeAndMxHost(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (ReportStore store = openEmpty()) {
            ingestCorpus(store, dir);

            List<ReportSummary.Group> groups =
                    ReportSummary.of(store.summary(Instant.parse("2026-11-30T00:00:00Z"), Optional.empty()));

            assertThat(lines(groups)).isEqualTo(EXPECTED_SUMMARY);
            assertThat(lines(ReportSummary.of(
                            store.summary(Instant.parse("2026-11-30T00:00:00Z"), Optional.of("example.org")))))
                    .isEqualTo(EXPECTED_SUMMARY.substring(EXPECTED_SUMMARY.lastIndexOf('\n') + 1));
            assertThat(ReportSummary.of(store.summary(Instant.parse("2016-01-01T00:00:00Z"), Optional.empty())))
                    .extracting(ReportSummary.Group::domain)
                    .contains("company-y.example");
        }
    }

    @Test
    void theLastReportOfEachDomainIsWhenItsLatestReportEnded(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (ReportStore store = openEmpty()) {
            assertThat(store.lastReports()).isEmpty();
            ingestCorpus(store, dir);
            store.store(
                    new ReportParser(ReportLimits.defaults()).parse(ReportCorpus.bytes("rfc8460-appendix-b.json"), "b"),
                    "b",
                    NOW);

            assertThat(store.lastReports())
                    .containsExactly(
                            new ReportStore.LastReport("company-y.example", Instant.parse("2016-04-01T23:59:59Z")),
                            new ReportStore.LastReport("example.com", Instant.parse("2026-12-06T23:59:59Z")),
                            new ReportStore.LastReport("example.org", Instant.parse("2026-12-06T23:59:59Z")));

            store.prune(Instant.parse("2020-01-01T00:00:00Z"));
            assertThat(store.lastReports())
                    .extracting(ReportStore.LastReport::domain)
                    .containsExactly("example.com", "example.org");
        }
    }

    @Test
    void aReportStoredTwiceIsADuplicateThatChangesNothing() throws Exception {
        ParsedReport report =
                new ReportParser(ReportLimits.defaults()).parse(ReportCorpus.bytes("rfc8460-appendix-b.json"), "b");
        try (ReportStore store = openEmpty()) {
            assertThat(store.store(report, "first", NOW)).isEqualTo(ReportStore.Outcome.STORED);
            assertThat(store.store(report, "second", NOW)).isEqualTo(ReportStore.Outcome.DUPLICATE);

            List<ReportSummary.Group> groups =
                    ReportSummary.of(store.summary(Instant.parse("2016-01-01T00:00:00Z"), Optional.empty()));
            assertThat(groups).hasSize(1);
            assertThat(groups.get(0).failed()).isEqualTo(303);
            assertThat(groups.get(0).byResultType())
                    .isEqualTo(Map.of(
                            "starttls-not-supported", 200L, "certificate-expired", 100L, "validation-failure", 3L));
        }
    }

    @Test
    void everyFieldRoundTripsIncludingUnicodeAndOptionalNulls() throws Exception {
        String json = new String(ReportCorpus.bytes("rfc8460-appendix-b.json"), StandardCharsets.UTF_8)
                .replace("Company-X", "Société Générale ✉");
        ParsedReport report =
                new ReportParser(ReportLimits.defaults()).parse(json.getBytes(StandardCharsets.UTF_8), "u");
        try (ReportStore store = openEmpty()) {
            store.store(report, "u", NOW);
            assertThat(ReportSummary.of(store.summary(Instant.EPOCH, Optional.empty()))
                            .get(0)
                            .byOrganization())
                    .containsOnlyKeys("Société Générale ✉");
        }
    }

    @Test
    void pruningDeletesReportsThatEndedBeforeTheRetention(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (ReportStore store = openEmpty()) {
            ingestCorpus(store, dir);

            assertThat(store.prune(Instant.parse("2026-12-05T00:00:00Z"))).isEqualTo(3);

            assertThat(lines(ReportSummary.of(store.summary(Instant.EPOCH, Optional.empty()))))
                    .isEqualTo(String.join(
                            "\n",
                            "example.com|sts|mx1.example.com mx2.example.com|1700|3|2|2026-12-05T00:00:00Z"
                                    + "|2026-12-06T23:59:59Z|{certificate-expired=3}|{Google LLC=3}",
                            "example.com|tlsa|mx1.example.com|300|4|1|2026-12-06T00:00:00Z|2026-12-06T23:59:59Z"
                                    + "|{dnssec-invalid=4}|{Mail Provider GmbH=4}",
                            "example.com|tlsa|mx2.example.com|250|0|1|2026-12-06T00:00:00Z|2026-12-06T23:59:59Z|{}|{}",
                            "example.org|no-policy-found||40|1|1|2026-12-06T00:00:00Z|2026-12-06T23:59:59Z"
                                    + "|{starttls-not-supported=1}|{Mail Provider GmbH=1}"));
        }
    }
}
