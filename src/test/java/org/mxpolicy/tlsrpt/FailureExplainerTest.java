package org.mxpolicy.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.history.RecordSet;
import org.mxpolicy.history.RecordSetSource;
import org.mxpolicy.history.RecordSetVersion;
import org.mxpolicy.tlsrpt.ReportStore.FailureEvidence;
import org.mxpolicy.tlsrpt.ReportStore.FailureHost;
import org.mxpolicy.tlsrpt.ReportStore.PolicyStringUse;

/**
 * The four rules, on fixed times: report periods are whole UTC days, as the large senders send
 * them, and the history is given as it would be stored.
 */
class FailureExplainerTest {

    private static final Instant NOV_02 = Instant.parse("2026-11-02T09:00:00Z");
    private static final Instant NOV_19_21H = Instant.parse("2026-11-19T21:00:00Z");
    private static final Instant NOV_20 = Instant.parse("2026-11-20T00:00:00Z");
    private static final Instant NOV_20_10H = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant NOV_21 = Instant.parse("2026-11-21T00:00:00Z");
    private static final Instant NOV_25 = Instant.parse("2026-11-25T00:00:00Z");
    private static final Instant DEC_01 = Instant.parse("2026-12-01T00:00:00Z");

    private static final List<String> OLD_POLICY =
            List.of("version: STSv1", "mode: enforce", "mx: mx1.example.com", "max_age: 604800");
    private static final List<String> NEW_POLICY =
            List.of("version: STSv1", "mode: enforce", "mx: mx1.example.com", "mx: mx2.example.com", "max_age: 604800");
    private static final List<String> OLD_TLSA = List.of("3 1 1 " + "aa".repeat(32));
    private static final List<String> NEW_TLSA = List.of("3 1 1 " + "bb".repeat(32));

    private final FailureExplainer explainer = new FailureExplainer(FailureExplainer.CHANGE_WINDOW);
    private final List<ReportSummary.Group> groups = new ArrayList<>();
    private final List<PolicyStringUse> uses = new ArrayList<>();
    private final List<FailureHost> hosts = new ArrayList<>();
    private final List<RecordSetVersion> history = new ArrayList<>();

    @Test
    void aSenderStillUsingTheReplacedPolicyHasAStaleCache() {
        version(RecordSet.stsPolicy("example.com", String.join("\r\n", OLD_POLICY) + "\r\n"), NOV_02, NOV_20);
        version(RecordSet.stsPolicy("example.com", String.join("\r\n", NEW_POLICY) + "\r\n"), NOV_20, null);
        group("sts", "mx1.example.com mx2.example.com", 900, 100);
        // the reporter lists the lines in another order, with other blanks: still our old policy
        use(
                "sts",
                "mx1.example.com mx2.example.com",
                List.of("mode:enforce", "version: STSv1", "max_age: 604800", "mx: mx1.example.com"),
                "Google LLC",
                0,
                100,
                NOV_21,
                NOV_25);
        use("sts", "mx1.example.com mx2.example.com", NEW_POLICY, "Microsoft Corporation", 900, 0, null, null);

        assertThat(explain("sts", "mx1.example.com mx2.example.com"))
                .containsExactly(new FailureExplanation(
                        FailureExplanation.STALE_POLICY,
                        "the policy-string that Google LLC used is our policy of 2026-11-02, replaced on 2026-11-20:"
                                + " the sender's cache is stale (RFC 8461 section 8.1); senders refetch only when"
                                + " the _mta-sts id changes, so check that it did (mxpolicy check)"));
    }

    @Test
    void aReportPeriodSpanningTheChangeIsNoStaleCache() {
        Instant changedAt = Instant.parse("2026-11-20T10:00:00Z");
        version(RecordSet.stsPolicy("example.com", String.join("\r\n", OLD_POLICY) + "\r\n"), NOV_02, changedAt);
        version(RecordSet.stsPolicy("example.com", String.join("\r\n", NEW_POLICY) + "\r\n"), changedAt, null);
        group("sts", "mx1.example.com", 900, 100);
        // one daily report, 2026-11-20 00:00 to 24:00: the old policy was ours until 10:00
        use("sts", "mx1.example.com", OLD_POLICY, "Google LLC", 0, 100, NOV_20, NOV_20);

        assertThat(explain("sts", "mx1.example.com"))
                .extracting(FailureExplanation::rule)
                .doesNotContain(FailureExplanation.STALE_POLICY);
    }

    @Test
    void aSenderStillUsingTheReplacedTlsaSetHasAStaleDnsView() {
        version(RecordSet.tlsa("mx1.example.com", OLD_TLSA), NOV_02, NOV_20);
        version(RecordSet.tlsa("mx1.example.com", NEW_TLSA), NOV_20, null);
        group("tlsa", "mx1.example.com", 0, 40);
        use(
                "tlsa",
                "mx1.example.com",
                List.of("3 1 1 " + "AA".repeat(32)),
                "Mail Provider GmbH",
                0,
                40,
                NOV_21,
                NOV_25);

        assertThat(explain("tlsa", "mx1.example.com"))
                .extracting(FailureExplanation::toString)
                .containsExactly("the TLSA records that Mail Provider GmbH used are our TLSA set of mx1.example.com"
                        + " of 2026-11-02, replaced on 2026-11-20: the sender's DNS view is stale; resolvers keep an"
                        + " RRset up to its TTL, so failures after that point at the sender's resolver"
                        + " [tlsrpt.stale-policy]");
    }

    @Test
    void aTlsaSetChangedHoursBeforeTheFailuresStarted() {
        version(RecordSet.tlsa("mx1.example.com", OLD_TLSA), NOV_02, NOV_19_21H);
        version(RecordSet.tlsa("mx1.example.com", NEW_TLSA), NOV_19_21H, null);
        group("tlsa", "mx1.example.com", 10, 40);
        use("tlsa", "mx1.example.com", NEW_TLSA, "Mail Provider GmbH", 10, 40, NOV_20, NOV_25);

        assertThat(explain("tlsa", "mx1.example.com"))
                .containsExactly(new FailureExplanation(
                        FailureExplanation.CHANGED,
                        "the TLSA set of mx1.example.com changed 3 h before the failures started"
                                + " (2026-11-20T00:00:00Z): check that the new set names the key mx1.example.com"
                                + " presents, and that the old records stayed until the old set's TTL had passed"
                                + " (mxpolicy check)"));
    }

    @Test
    void aPolicyChangedWithinTheFirstReportPeriodWithFailures() {
        version(RecordSet.stsId("example.com", "20261102"), NOV_02, NOV_20_10H);
        version(RecordSet.stsId("example.com", "20261120"), NOV_20_10H, null);
        group("sts", "mx1.example.com", 10, 5);
        use("sts", "mx1.example.com", List.of(), "Google LLC", 10, 5, NOV_20, NOV_21);

        assertThat(explain("sts", "mx1.example.com"))
                .extracting(FailureExplanation::text)
                .containsExactly("the _mta-sts id of example.com changed at 2026-11-20T10:00:00Z, within the first"
                        + " report period with failures (2026-11-20T00:00:00Z to 2026-11-21T00:00:00Z): check that"
                        + " the policy covers every MX host and that the _mta-sts id changed with it (mxpolicy check)");
    }

    @Test
    void aChangeLongBeforeTheFailuresAndTheFirstVersionExplainNothing() {
        version(RecordSet.tlsa("mx1.example.com", OLD_TLSA), NOV_19_21H, NOV_25.minus(Duration.ofDays(4)));
        version(RecordSet.tlsa("mx1.example.com", NEW_TLSA), NOV_25.minus(Duration.ofDays(4)), null);
        group("tlsa", "mx1.example.com", 10, 40);
        use("tlsa", "mx1.example.com", NEW_TLSA, "Mail Provider GmbH", 10, 40, NOV_25, DEC_01);

        assertThat(explain("tlsa", "mx1.example.com")).isEmpty();
    }

    @Test
    void failuresAtOneTlsaHostFromSeveralSendersWhileTheOtherSucceeds() {
        version(RecordSet.tlsa("mx2.example.com", NEW_TLSA), NOV_02, null);
        group("tlsa", "mx1.example.com", 500, 0);
        group("tlsa", "mx2.example.com", 0, 60);
        use("tlsa", "mx1.example.com", OLD_TLSA, "Google LLC", 300, 0, null, null);
        use("tlsa", "mx1.example.com", OLD_TLSA, "Microsoft Corporation", 200, 0, null, null);
        use("tlsa", "mx2.example.com", NEW_TLSA, "Google LLC", 0, 20, NOV_20, NOV_25);
        use("tlsa", "mx2.example.com", NEW_TLSA, "Microsoft Corporation", 0, 40, NOV_20, NOV_25);

        assertThat(explain("tlsa", "mx2.example.com"))
                .containsExactly(new FailureExplanation(
                        FailureExplanation.SINGLE_MX,
                        "failures at mx2.example.com only, from all 2 senders (Google LLC, Microsoft Corporation),"
                                + " while mx1.example.com succeeds: look at mx2.example.com (its certificate and TLSA"
                                + " records in mxpolicy check, its STARTTLS, its mail log)"));
        assertThat(explain("tlsa", "mx1.example.com")).isEmpty();
    }

    @Test
    void failuresOfAnStsPolicyAtOneReceivingMxFromSomeSenders() {
        group("sts", "*.example.com", 1200, 30);
        use("sts", "*.example.com", NEW_POLICY, "Google LLC", 600, 10, NOV_20, NOV_25);
        use("sts", "*.example.com", NEW_POLICY, "Microsoft Corporation", 500, 20, NOV_20, NOV_25);
        use("sts", "*.example.com", NEW_POLICY, "Small Mail AG", 100, 0, null, null);
        hosts.add(new FailureHost("example.com", "sts", "*.example.com", "mx2.example.com", "Google LLC", 10));
        hosts.add(
                new FailureHost("example.com", "sts", "*.example.com", "mx2.example.com", "Microsoft Corporation", 20));

        assertThat(explain("sts", "*.example.com"))
                .extracting(FailureExplanation::text)
                .containsExactly("failures at mx2.example.com only, from 2 of 3 senders (Google LLC, Microsoft"
                        + " Corporation), while 1200 other sessions succeeded: look at mx2.example.com (its"
                        + " certificate and TLSA records in mxpolicy check, its STARTTLS, its mail log)");
    }

    @Test
    void oneSenderOrUnnamedHostsAreNotEnoughForSingleMx() {
        group("sts", "*.example.com", 1200, 30);
        use("sts", "*.example.com", NEW_POLICY, "Google LLC", 600, 10, NOV_20, NOV_25);
        use("sts", "*.example.com", NEW_POLICY, "Microsoft Corporation", 600, 20, NOV_20, NOV_25);
        hosts.add(new FailureHost("example.com", "sts", "*.example.com", "mx2.example.com", "Google LLC", 10));
        hosts.add(new FailureHost("example.com", "sts", "*.example.com", "", "Microsoft Corporation", 20));

        assertThat(explain("sts", "*.example.com")).isEmpty();

        hosts.remove(1);
        assertThat(explain("sts", "*.example.com")).isEmpty(); // Google LLC alone
    }

    @Test
    void aPolicyStringThatMatchesNoVersionIsSaidToBeUnknown() {
        version(RecordSet.stsPolicy("example.com", String.join("\n", NEW_POLICY)), NOV_02, null);
        group("sts", "mx1.example.com", 0, 7);
        use(
                "sts",
                "mx1.example.com",
                List.of("version: STSv1", "mode: testing", "mx: mail.example.net"),
                "Small Mail AG",
                0,
                7,
                NOV_20,
                NOV_25);

        assertThat(explain("sts", "mx1.example.com"))
                .containsExactly(new FailureExplanation(
                        FailureExplanation.UNKNOWN_POLICY,
                        "the policy-string that Small Mail AG used matches no policy of example.com that mxpolicy"
                                + " published or observed since 2026-11-02: compare it with what is served (mxpolicy"
                                + " check); it is older than the history, or not ours"));
    }

    @Test
    void withoutHistoryAPolicyStringIsNeitherStaleNorUnknown() {
        group("sts", "mx1.example.com", 0, 7);
        use("sts", "mx1.example.com", OLD_POLICY, "Small Mail AG", 0, 7, NOV_20, NOV_25);

        assertThat(explainer.explain(groups, evidence(), history)).isEmpty();
    }

    @Test
    void theSubjectsAreTheDomainsAndTheHostsOfTlsaPolicies() {
        group("tlsa", "mx1.example.com", 1, 0);
        group("sts", "*.example.com", 1, 0);
        groups.add(new ReportSummary.Group("example.org", "tlsa", "", 1, 0, 1, NOV_20, NOV_21, Map.of(), Map.of()));

        assertThat(FailureExplainer.subjects(groups)).containsExactly("example.com", "example.org", "mx1.example.com");
    }

    // ------------------------------------------------------------------ the world as stored

    private List<FailureExplanation> explain(String type, String mxHosts) {
        return explainer
                .explain(groups, evidence(), history)
                .getOrDefault(new GroupKey("example.com", type, mxHosts), List.of());
    }

    private FailureEvidence evidence() {
        return new FailureEvidence(uses, hosts);
    }

    private void group(String type, String mxHosts, long successful, long failed) {
        groups.add(new ReportSummary.Group(
                "example.com", type, mxHosts, successful, failed, 1, NOV_20, NOV_25, Map.of(), Map.of()));
    }

    private void use(
            String type,
            String mxHosts,
            List<String> policyString,
            String organization,
            long successful,
            long failed,
            Instant failuresStart,
            Instant lastFailuresStart) {
        uses.add(new PolicyStringUse(
                "example.com",
                type,
                mxHosts,
                String.join("\n", policyString),
                organization,
                successful,
                failed,
                Optional.ofNullable(failuresStart),
                Optional.ofNullable(failuresStart).map(s -> s.plus(Duration.ofDays(1))),
                Optional.ofNullable(lastFailuresStart)));
    }

    private void version(RecordSet set, Instant first, Instant replaced) {
        history.add(new RecordSetVersion(
                set,
                set.digest(),
                first,
                replaced == null ? DEC_01 : replaced,
                Optional.ofNullable(replaced),
                RecordSetSource.PUBLISHED));
    }
}
