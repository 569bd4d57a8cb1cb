package org.mxpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.transparency.Assessment;
import org.mxpolicy.transparency.Assessment.State;
import org.mxpolicy.transparency.PartnerHistory;
import org.mxpolicy.transparency.PartnerVerdict;
import org.mxpolicy.transparency.VerdictState;

/**
 * The verdict history of the transparency report on a real database: a partner that loses DANE
 * shows as a change in the report that finds it, with what it was and since when; the same verdict
 * again changes nothing but keeps the change visible with its date.
 */
abstract class PartnerHistoryContract {

    static final Instant FIRST = Instant.parse("2026-11-01T06:00:00Z");
    static final Instant SECOND = Instant.parse("2026-11-08T06:00:00Z");
    static final Instant THIRD = Instant.parse("2026-11-15T06:00:00Z");

    abstract JdbcReportStore openEmpty() throws Exception;

    private static PartnerVerdict verdict(String domain, State meets, State dane) {
        return new PartnerVerdict(
                domain,
                new Assessment(meets, "meets"),
                new Assessment(dane, "dane"),
                new Assessment(State.MET, "tls"),
                new Assessment(State.NOT_CHECKED, "mta-sts"),
                new Assessment(State.MET, "dnssec"),
                Optional.empty());
    }

    @Test
    void aPartnerThatLosesDaneIsAChangeSinceTheReportThatFoundIt() throws Exception {
        try (JdbcReportStore store = openEmpty()) {
            Map<String, PartnerHistory> first = store.partnerHistory()
                    .record(
                            List.of(
                                    verdict("dane.example", State.MET, State.MET),
                                    verdict("steady.example", State.NOT_MET, State.NOT_MET)),
                            FIRST);
            assertThat(first.get("dane.example")).isEqualTo(new PartnerHistory(FIRST, Optional.empty()));
            assertThat(first.get("dane.example").changedAt(FIRST)).isFalse();

            Map<String, PartnerHistory> second = store.partnerHistory()
                    .record(
                            List.of(
                                    verdict("dane.example", State.NOT_MET, State.NOT_MET),
                                    verdict("steady.example", State.NOT_MET, State.NOT_MET)),
                            SECOND);
            PartnerHistory lost = second.get("dane.example");
            assertThat(lost.since()).isEqualTo(SECOND);
            assertThat(lost.changedAt(SECOND)).isTrue();
            assertThat(lost.previous()).hasValueSatisfying(before -> {
                assertThat(before.from()).isEqualTo(FIRST);
                assertThat(before.until()).isEqualTo(SECOND);
                assertThat(before.state())
                        .isEqualTo(new VerdictState(State.MET, State.MET, State.MET, State.NOT_CHECKED, State.MET));
            });
            assertThat(second.get("steady.example")).isEqualTo(new PartnerHistory(FIRST, Optional.empty()));

            Map<String, PartnerHistory> third = store.partnerHistory()
                    .record(List.of(verdict("dane.example", State.NOT_MET, State.NOT_MET)), THIRD);
            assertThat(third.get("dane.example").since()).isEqualTo(SECOND);
            assertThat(third.get("dane.example").changedAt(THIRD)).isFalse();
            assertThat(third.get("dane.example").previous()).isPresent();
        }
    }

    @Test
    void aLateReportDoesNotRewriteHistoryAndTwoInOneSecondKeepTheLater() throws Exception {
        try (JdbcReportStore store = openEmpty()) {
            store.partnerHistory().record(List.of(verdict("dane.example", State.MET, State.MET)), SECOND);

            Map<String, PartnerHistory> late = store.partnerHistory()
                    .record(List.of(verdict("dane.example", State.NOT_MET, State.NOT_MET)), FIRST);
            assertThat(late.get("dane.example")).isEqualTo(new PartnerHistory(SECOND, Optional.empty()));

            Map<String, PartnerHistory> again =
                    store.partnerHistory().record(List.of(verdict("dane.example", State.NOT_MET, State.MET)), SECOND);
            assertThat(again.get("dane.example")).isEqualTo(new PartnerHistory(SECOND, Optional.empty()));
            Map<String, PartnerHistory> check =
                    store.partnerHistory().record(List.of(verdict("dane.example", State.NOT_MET, State.MET)), THIRD);
            assertThat(check.get("dane.example").since()).isEqualTo(SECOND);
        }
    }
}
