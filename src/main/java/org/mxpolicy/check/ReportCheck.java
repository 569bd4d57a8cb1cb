package org.mxpolicy.check;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.mxpolicy.desired.DesiredDomain;
import org.mxpolicy.desired.DesiredMx;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.finding.MessageText;
import org.mxpolicy.history.HistoryException;
import org.mxpolicy.history.RecordSet;
import org.mxpolicy.history.RecordSetSource;
import org.mxpolicy.tlsrpt.FailureExplainer;
import org.mxpolicy.tlsrpt.FailureExplanation;
import org.mxpolicy.tlsrpt.GroupKey;
import org.mxpolicy.tlsrpt.PolicyReport;
import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.ReportStoreException;
import org.mxpolicy.tlsrpt.ReportSummary;
import org.mxpolicy.tlsrpt.ReportThresholds;

/**
 * What the TLS reports senders sent back say about each domain and MX host of the config
 * (TR-03108-11-R): the failure rate and the failed sessions over the window against the
 * thresholds, and domains whose reports stopped arriving.
 *
 * <p>RFC 8460 counts sessions per policy, not per MX host, so an MX host is judged from the
 * policies that name it alone (a {@code tlsa} policy, or an {@code sts} policy with one {@code mx}),
 * in the reports of any domain; the sessions of a policy that covers several hosts count for its
 * domain only.
 */
final class ReportCheck {

    static final String FAILURE_RATE = "tlsrpt.failure-rate";
    static final String FAILURES = "tlsrpt.failures";
    static final String SILENCE = "tlsrpt.silence";
    static final String STORE = "tlsrpt.store";
    static final String HISTORY = "tlsrpt.history";
    /** The subject of a result about the store itself. */
    static final String STORE_SUBJECT = "report store";

    private static final String REQUIREMENT = "TR-03108-11-R";
    /** Result types and organisations named in a message: the largest few say where to look. */
    private static final int NAMED = 3;

    record Outcome(List<CheckResult> results, Optional<ReportMetrics> metrics) {}

    private final StoredReports reports;
    private final Clock clock;

    ReportCheck(StoredReports reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    /** Judges the reports without recording anything observed. */
    Outcome run(DesiredState desired) {
        return run(desired, List.of(), clock.instant());
    }

    /**
     * Records the record sets the check observed at {@code observedAt} in the history, then judges
     * the reports, explaining failures against the history.
     */
    Outcome run(DesiredState desired, List<RecordSet> observed, Instant observedAt) {
        ReportThresholds limits = reports.thresholds();
        Instant now = clock.instant();
        List<ReportSummary.Group> groups;
        List<ReportStore.LastReport> lastReports;
        Map<GroupKey, List<FailureExplanation>> explanations = Map.of();
        List<CheckResult> results = new ArrayList<>();
        try (ReportStore store = reports.store().open()) {
            Instant since = now.minus(limits.window());
            try {
                store.history().record(observed, RecordSetSource.OBSERVED, observedAt);
            } catch (HistoryException e) {
                results.add(CheckResult.unknown(
                        HISTORY, STORE_SUBJECT, "cannot record what was observed: " + e.getMessage()));
            }
            ReportStore.SummaryData data = store.summary(since, Optional.empty());
            groups = ReportSummary.of(data);
            lastReports = store.lastReports();
            if (groups.stream().anyMatch(g -> g.failed() > 0)) {
                try {
                    explanations = new FailureExplainer(FailureExplainer.CHANGE_WINDOW)
                            .explain(
                                    groups,
                                    new ReportStore.FailureEvidence(
                                            store.policyStrings(since, Optional.empty()), data.failureHosts()),
                                    store.history().versions(FailureExplainer.subjects(groups)));
                } catch (HistoryException e) {
                    results.add(CheckResult.unknown(
                            HISTORY, STORE_SUBJECT, "failures are not explained: " + e.getMessage()));
                }
            }
        } catch (ReportStoreException e) {
            return new Outcome(
                    List.of(CheckResult.unknown(
                            STORE,
                            STORE_SUBJECT,
                            "cannot read the TLS reports, so they are not judged: " + e.getMessage() + " ("
                                    + REQUIREMENT + ")")),
                    Optional.empty());
        }

        Set<String> watched = new LinkedHashSet<>();
        Set<String> asked = new LinkedHashSet<>();
        for (DesiredDomain domain : desired.domains()) {
            String name = normalise(domain.name());
            watched.add(name);
            if (domain.tlsReports()) {
                asked.add(name);
            }
        }
        List<ReportSummary.Group> ours = groups.stream()
                .filter(g -> watched.contains(normalise(g.domain())))
                .toList();
        List<ReportStore.LastReport> ourLast = lastReports.stream()
                .filter(l -> watched.contains(normalise(l.domain())))
                .toList();

        Map<String, Tally> byDomain = new TreeMap<>();
        for (ReportSummary.Group g : ours) {
            byDomain.computeIfAbsent(normalise(g.domain()), d -> new Tally())
                    .add(g, explanations.getOrDefault(GroupKey.of(g), List.of()));
        }
        for (String domain : watched) {
            Tally tally = byDomain.get(domain);
            if (tally == null && !asked.contains(domain)) {
                continue; // no tls_rpt and no reports: nothing to judge
            }
            results.addAll(judge(domain, tally == null ? new Tally() : tally, " --domain " + domain, limits));
        }
        Map<String, Tally> byHost = new TreeMap<>();
        Set<String> hosts = new LinkedHashSet<>();
        for (DesiredMx mx : desired.mxHosts()) {
            hosts.add(normalise(mx.host()));
        }
        // an MX host of the config is ours whichever domain's report names it
        for (ReportSummary.Group g : groups) {
            String host = host(g);
            if (hosts.contains(host)) {
                byHost.computeIfAbsent(host, h -> new Tally())
                        .add(g, explanations.getOrDefault(GroupKey.of(g), List.of()));
            }
        }
        byHost.forEach((host, tally) -> results.addAll(judge(host, tally, "", limits)));
        if (limits.watchesSilence()) {
            for (ReportStore.LastReport last : ourLast) {
                if (asked.contains(normalise(last.domain()))) {
                    results.add(silence(normalise(last.domain()), last.end(), now, limits.silence()));
                }
            }
        }
        return new Outcome(results, Optional.of(new ReportMetrics(limits.window(), ours, ourLast)));
    }

    private static List<CheckResult> judge(String subject, Tally t, String summaryOption, ReportThresholds limits) {
        String window = "in the last " + Durations.text(limits.window());
        long total = t.successful + t.failed;
        String breakdown = t.failed == 0 ? "" : ": " + t.breakdown() + t.explained();
        String advice = "; see mxpolicy reports summary --since " + option(limits.window()) + summaryOption + " ("
                + REQUIREMENT + ")";

        CheckResult rate;
        if (total == 0) {
            rate = CheckResult.ok(FAILURE_RATE, subject, "no sessions reported " + window + " (" + REQUIREMENT + ")");
        } else if (total < limits.minSessions()) {
            rate = CheckResult.ok(
                    FAILURE_RATE,
                    subject,
                    t.failed + " of " + total + " sessions failed " + window
                            + ": too few to judge a rate (min_sessions " + limits.minSessions() + ") (" + REQUIREMENT
                            + ")");
        } else {
            double failureRate = (double) t.failed / total;
            CheckStatus status = failureRate >= limits.rateCritical()
                    ? CheckStatus.CRITICAL
                    : failureRate >= limits.rateWarning() ? CheckStatus.WARNING : CheckStatus.OK;
            String text = percent(failureRate) + " of sessions failed " + window + " (" + t.failed + " of " + total
                    + "; WARNING from " + percent(limits.rateWarning()) + ", CRITICAL from "
                    + percent(limits.rateCritical()) + ")" + breakdown;
            rate = new CheckResult(
                    status,
                    FAILURE_RATE,
                    subject,
                    status == CheckStatus.OK ? text + " (" + REQUIREMENT + ")" : text + advice);
        }

        CheckStatus status = t.failed >= limits.failuresCritical()
                ? CheckStatus.CRITICAL
                : t.failed >= limits.failuresWarning() ? CheckStatus.WARNING : CheckStatus.OK;
        String text = t.failed + " failed session" + (t.failed == 1 ? "" : "s") + " " + window + " (WARNING from "
                + limits.failuresWarning() + ", CRITICAL from " + limits.failuresCritical() + ")" + breakdown;
        CheckResult count = new CheckResult(
                status, FAILURES, subject, status == CheckStatus.OK ? text + " (" + REQUIREMENT + ")" : text + advice);
        return List.of(rate, count);
    }

    private static CheckResult silence(String domain, Instant lastEnd, Instant now, Duration silence) {
        Duration since = Duration.between(lastEnd, now);
        String last = "the latest TLS report ended " + MessageText.instant(lastEnd);
        if (since.compareTo(silence) <= 0) {
            return CheckResult.ok(SILENCE, domain, last + " (" + REQUIREMENT + ")");
        }
        return CheckResult.warning(
                SILENCE,
                domain,
                "reports stopped arriving: " + last + ", " + Durations.text(since)
                        + " ago, and none since (WARNING after "
                        + Durations.text(silence) + "); check that mail to the rua address of _smtp._tls." + domain
                        + " still reaches reports ingest (the mailbox, the pipe transport, the mail log, the"
                        + " quarantine) (" + REQUIREMENT + ")");
    }

    /**
     * The one MX host a group's sessions went to, or empty: the policy's single {@code mx-host},
     * or for a {@code tlsa} policy without one, its policy domain (some reporters give the MX
     * host there, the TLSA base domain of RFC 7672).
     */
    private static String host(ReportSummary.Group g) {
        if (g.mxHosts().isEmpty() && PolicyReport.TLSA.equals(g.policyType())) {
            return normalise(g.domain());
        }
        return normalise(g.mxHosts());
    }

    /** Lower case without a trailing dot, as the store keeps report domains. */
    private static String normalise(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /** The window as {@code reports summary --since} takes it. */
    private static String option(Duration window) {
        long s = window.toSeconds();
        return s % 86_400 == 0 ? s / 86_400 + "d" : s % 3600 == 0 ? s / 3600 + "h" : s + "s";
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f", fraction * 100).replaceFirst("\\.?0+$", "") + "%";
    }

    /** Sessions and failures of several groups added up. */
    private static final class Tally {
        long successful;
        long failed;
        final Map<String, Long> byResultType = new TreeMap<>();
        final Map<String, Long> byOrganization = new TreeMap<>();
        final Set<FailureExplanation> explanations = new LinkedHashSet<>();

        void add(ReportSummary.Group g, List<FailureExplanation> explained) {
            explanations.addAll(explained);
            successful += g.successful();
            failed += g.failed();
            g.byResultType().forEach((k, v) -> byResultType.merge(k, v, Long::sum));
            g.byOrganization().forEach((k, v) -> byOrganization.merge(k, v, Long::sum));
        }

        String breakdown() {
            if (byResultType.isEmpty()) {
                return "the reports give no failure details";
            }
            return named(byResultType) + "; reported by " + named(byOrganization);
        }

        /** What the history says about the failures, each with its rule id. */
        String explained() {
            return explanations.stream().map(e -> "; " + e).collect(Collectors.joining());
        }

        /** The largest few, ties by name, and how many more there are. */
        private static String named(Map<String, Long> counts) {
            List<Map.Entry<String, Long>> sorted = counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue()
                            .reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .toList();
            Map<String, Long> top = new LinkedHashMap<>();
            sorted.stream().limit(NAMED).forEach(e -> top.put(e.getKey(), e.getValue()));
            String text = top.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "));
            return sorted.size() > NAMED ? text + " and " + (sorted.size() - NAMED) + " more" : text;
        }
    }
}
