package org.mxpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.history.PublicationHistory;
import org.mxpolicy.history.RecordSet;
import org.mxpolicy.history.RecordSetSource;
import org.mxpolicy.history.RecordSetVersion;
import org.mxpolicy.intake.MailIntake;
import org.mxpolicy.intake.Quarantine;
import org.mxpolicy.testing.ReportCorpus;
import org.mxpolicy.tlsrpt.FailureExplainer;
import org.mxpolicy.tlsrpt.FailureExplanation;
import org.mxpolicy.tlsrpt.GroupKey;
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

    private static final List<String> CORPUS_TLSA =
            List.of("3 1 1 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6");
    private static final List<String> NEXT_TLSA = List.of("3 1 1 " + "ab".repeat(32));

    @Test
    void theSameValueOnlyMovesLastSeenOnAndANewValueClosesTheCurrentVersion() throws Exception {
        Instant t1 = Instant.parse("2026-11-01T10:00:00Z");
        Instant t2 = Instant.parse("2026-11-02T10:00:00Z");
        Instant t3 = Instant.parse("2026-11-03T10:00:00Z");
        Instant t4 = Instant.parse("2026-11-04T10:00:00Z");
        try (ReportStore store = openEmpty()) {
            PublicationHistory history = store.history();
            assertThat(history.versions(List.of("mx1.example.com"))).isEmpty();

            history.record(List.of(RecordSet.tlsa("mx1.example.com.", CORPUS_TLSA)), RecordSetSource.OBSERVED, t1);
            history.record(
                    List.of(
                            RecordSet.tlsa(
                                    "MX1.example.com",
                                    List.of(CORPUS_TLSA.get(0).toUpperCase(Locale.ROOT))),
                            RecordSet.stsId("example.com", "20261102")),
                    RecordSetSource.PUBLISHED,
                    t2);
            history.record(List.of(RecordSet.tlsa("mx1.example.com", NEXT_TLSA)), RecordSetSource.OBSERVED, t3);
            // a late writer with an older observation does not rewrite the history
            history.record(List.of(RecordSet.tlsa("mx1.example.com", CORPUS_TLSA)), RecordSetSource.OBSERVED, t2);

            assertThat(versionLines(history.versions(List.of("mx1.example.com.", "example.com"))))
                    .containsExactly(
                            "tlsa|mx1.example.com|2026-11-01T10:00:00Z|2026-11-02T10:00:00Z|2026-11-03T10:00:00Z"
                                    + "|published|" + CORPUS_TLSA.get(0),
                            "tlsa|mx1.example.com|2026-11-03T10:00:00Z|2026-11-03T10:00:00Z|-|observed|"
                                    + NEXT_TLSA.get(0),
                            "sts-id|example.com|2026-11-02T10:00:00Z|2026-11-02T10:00:00Z|-|published|20261102");

            // the old value again is a new version, not the old one reopened
            history.record(List.of(RecordSet.tlsa("mx1.example.com", CORPUS_TLSA)), RecordSetSource.OBSERVED, t4);
            assertThat(versionLines(history.versions(List.of("mx1.example.com"))))
                    .hasSize(3)
                    .last()
                    .isEqualTo("tlsa|mx1.example.com|2026-11-04T10:00:00Z|2026-11-04T10:00:00Z|-|observed|"
                            + CORPUS_TLSA.get(0));
        }
    }

    @Test
    void aResolversCachedCopyJustAfterAPublishIsNotAChangeButAValueTwoWritersGiveInOneSecondIs() throws Exception {
        Instant published = Instant.parse("2026-11-10T10:00:00Z");
        try (ReportStore store = openEmpty()) {
            PublicationHistory history = store.history();
            history.record(
                    List.of(RecordSet.tlsa("mx1.example.com", CORPUS_TLSA)), RecordSetSource.PUBLISHED, published);
            history.record(
                    List.of(RecordSet.tlsa("mx1.example.com", NEXT_TLSA)),
                    RecordSetSource.PUBLISHED,
                    published.plusMillis(400));
            // check, through a resolver that still holds the first set
            history.record(
                    List.of(RecordSet.tlsa("mx1.example.com", CORPUS_TLSA)),
                    RecordSetSource.OBSERVED,
                    published.plusSeconds(3600));

            assertThat(versionLines(history.versions(List.of("mx1.example.com"))))
                    .containsExactly(
                            "tlsa|mx1.example.com|2026-11-10T10:00:00Z|2026-11-10T10:00:00Z|2026-11-10T10:00:00Z"
                                    + "|published|" + CORPUS_TLSA.get(0),
                            "tlsa|mx1.example.com|2026-11-10T10:00:00Z|2026-11-10T10:00:00Z|-|published|"
                                    + NEXT_TLSA.get(0));

            // a day later the DNS really says something else: someone changed it
            history.record(
                    List.of(RecordSet.tlsa("mx1.example.com", CORPUS_TLSA)),
                    RecordSetSource.OBSERVED,
                    published.plusSeconds(86_400));
            assertThat(versionLines(history.versions(List.of("mx1.example.com"))))
                    .hasSize(3)
                    .last()
                    .isEqualTo("tlsa|mx1.example.com|2026-11-11T10:00:00Z|2026-11-11T10:00:00Z|-|observed|"
                            + CORPUS_TLSA.get(0));
        }
    }

    @Test
    void theCorpusIsExplainedAgainstTheHistory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (ReportStore store = openEmpty()) {
            ingestCorpus(store, dir);
            // mx1's TLSA set of the reports was replaced on 5 December, a day before the last of them
            store.history()
                    .record(
                            List.of(RecordSet.tlsa("mx1.example.com", CORPUS_TLSA)),
                            RecordSetSource.PUBLISHED,
                            Instant.parse("2026-11-01T08:00:00Z"));
            store.history()
                    .record(
                            List.of(RecordSet.tlsa("mx1.example.com", NEXT_TLSA)),
                            RecordSetSource.PUBLISHED,
                            Instant.parse("2026-12-05T12:00:00Z"));
            Instant since = Instant.parse("2026-11-30T00:00:00Z");
            ReportStore.SummaryData data = store.summary(since, Optional.empty());
            List<ReportSummary.Group> groups = ReportSummary.of(data);

            Map<GroupKey, List<FailureExplanation>> explained = new FailureExplainer(FailureExplainer.CHANGE_WINDOW)
                    .explain(
                            groups,
                            new ReportStore.FailureEvidence(
                                    store.policyStrings(since, Optional.empty()), data.failureHosts()),
                            store.history().versions(FailureExplainer.subjects(groups)));

            assertThat(explained.entrySet().stream()
                            .map(e -> e.getKey().policyType() + " " + e.getKey().mxHosts() + ": " + e.getValue())
                            .toList())
                    .isEqualTo(EXPECTED_EXPLANATIONS);
        }
    }

    /** What every store's evidence and history explain of {@link #CORPUS}. */
    static final List<String> EXPECTED_EXPLANATIONS = List.of(
            "sts mx1.example.com mx2.example.com: [failures at mx2.example.com only, from 2 of 4 senders (Google LLC,"
                    + " Small Mail AG), while 1717 other sessions succeeded: look at mx2.example.com (its certificate"
                    + " and TLSA records in mxpolicy check, its STARTTLS, its mail log) [tlsrpt.single-mx]]",
            "tlsa mx1.example.com: [the TLSA records that Mail Provider GmbH used are our TLSA set of mx1.example.com"
                    + " of 2026-11-01, replaced on 2026-12-05: the sender's DNS view is stale; resolvers keep an RRset"
                    + " up to its TTL, so failures after that point at the sender's resolver [tlsrpt.stale-policy],"
                    + " failures at mx1.example.com only, from 2 of 4 senders (Mail Provider GmbH, Microsoft"
                    + " Corporation), while mx2.example.com succeeds: look at mx1.example.com (its certificate and TLSA"
                    + " records in mxpolicy check, its STARTTLS, its mail log) [tlsrpt.single-mx]]");

    private static List<String> versionLines(List<RecordSetVersion> versions) {
        return versions.stream()
                .map(v -> String.join(
                        "|",
                        v.kind().keyword(),
                        v.subject(),
                        v.firstSeen().toString(),
                        v.lastSeen().toString(),
                        v.replacedAt().map(Instant::toString).orElse("-"),
                        v.source().keyword(),
                        v.set().value()))
                .toList();
    }
}
