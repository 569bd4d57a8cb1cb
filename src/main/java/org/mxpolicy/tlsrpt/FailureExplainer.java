package org.mxpolicy.tlsrpt;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mxpolicy.finding.MessageText;
import org.mxpolicy.history.RecordSet;
import org.mxpolicy.history.RecordSetKind;
import org.mxpolicy.history.RecordSetVersion;
import org.mxpolicy.tlsrpt.ReportStore.FailureEvidence;
import org.mxpolicy.tlsrpt.ReportStore.FailureHost;
import org.mxpolicy.tlsrpt.ReportStore.PolicyStringUse;

/**
 * Explains the failed sessions of each summary group against the history of what was published
 * or observed, by four rules (docs/reports.md says what to do about each):
 *
 * <ul>
 *   <li>{@value FailureExplanation#STALE_POLICY}: the policy-string the sender used is an older
 *       version of ours, replaced before failures it reported;
 *   <li>{@value FailureExplanation#UNKNOWN_POLICY}: the policy-string matches no version in the
 *       history of the subject (said only when there is a history);
 *   <li>{@value FailureExplanation#CHANGED}: the record set changed within the change window
 *       before the failures started, or within the first report period with failures;
 *   <li>{@value FailureExplanation#SINGLE_MX}: the failures are at one MX host, reported by two or
 *       more senders, while sessions elsewhere succeed.
 * </ul>
 *
 * <p>Pure: the store reads the evidence and the history, the time is the reports'.
 */
public final class FailureExplainer {

    /** How long before the failures a change of the record set counts as their likely cause. */
    public static final Duration CHANGE_WINDOW = Duration.ofHours(48);

    /** Organisations named in an explanation: the rest are counted. */
    private static final int NAMED = 3;

    private final Duration changeWindow;

    public FailureExplainer(Duration changeWindow) {
        this.changeWindow = changeWindow;
    }

    /** The names whose history the explanations of {@code groups} need: domains and MX hosts. */
    public static Set<String> subjects(List<ReportSummary.Group> groups) {
        Set<String> subjects = new TreeSet<>();
        for (ReportSummary.Group g : groups) {
            subjects.add(RecordSet.name(g.domain()));
            subject(g.domain(), g.policyType(), g.mxHosts()).ifPresent(subjects::add);
        }
        return subjects;
    }

    /** The explanations of every group with failed sessions that one rule or more explains. */
    public Map<GroupKey, List<FailureExplanation>> explain(
            List<ReportSummary.Group> groups, FailureEvidence evidence, List<RecordSetVersion> history) {
        Map<GroupKey, List<PolicyStringUse>> uses = new LinkedHashMap<>();
        Map<String, Set<String>> organizations = new TreeMap<>();
        for (PolicyStringUse u : evidence.policyStrings()) {
            uses.computeIfAbsent(GroupKey.of(u), k -> new ArrayList<>()).add(u);
            organizations.computeIfAbsent(u.domain(), d -> new TreeSet<>()).add(u.organization());
        }
        Map<GroupKey, List<FailureHost>> hosts = new LinkedHashMap<>();
        for (FailureHost f : evidence.failureHosts()) {
            hosts.computeIfAbsent(GroupKey.of(f), k -> new ArrayList<>()).add(f);
        }
        Map<String, List<RecordSetVersion>> bySubject = new TreeMap<>();
        for (RecordSetVersion v : history) {
            bySubject.computeIfAbsent(v.subject(), s -> new ArrayList<>()).add(v);
        }
        bySubject.values().forEach(l -> l.sort(Comparator.comparing(RecordSetVersion::firstSeen)));

        // per domain, the MX hosts with TLSA policies of their own and no failure
        Map<String, Set<String>> succeeding = new TreeMap<>();
        for (ReportSummary.Group other : groups) {
            Optional<String> host = subject(other.domain(), other.policyType(), other.mxHosts());
            if (PolicyReport.TLSA.equals(other.policyType())
                    && host.isPresent()
                    && other.failed() == 0
                    && other.successful() > 0) {
                succeeding.computeIfAbsent(other.domain(), d -> new TreeSet<>()).add(host.get());
            }
        }

        Map<GroupKey, List<FailureExplanation>> out = new LinkedHashMap<>();
        for (ReportSummary.Group g : groups) {
            if (g.failed() == 0) {
                continue;
            }
            GroupKey key = GroupKey.of(g);
            List<PolicyStringUse> failing = uses.getOrDefault(key, List.of()).stream()
                    .filter(u -> u.failed() > 0)
                    .toList();
            List<FailureExplanation> found = new ArrayList<>();
            Optional<String> subject = subject(g.domain(), g.policyType(), g.mxHosts());
            Optional<RecordSetKind> kind = matchKind(g.policyType());
            if (subject.isPresent() && kind.isPresent()) {
                List<RecordSetVersion> versions = bySubject.getOrDefault(subject.get(), List.of());
                found.addAll(policyStrings(kind.get(), subject.get(), failing, versions));
                if (found.stream().noneMatch(e -> e.rule().equals(FailureExplanation.STALE_POLICY))) {
                    // a stale policy names the change already
                    changed(g.policyType(), subject.get(), failing, versions).ifPresent(found::add);
                }
            }
            singleMx(g, failing, hosts.getOrDefault(key, List.of()), succeeding, organizations)
                    .ifPresent(found::add);
            if (!found.isEmpty()) {
                out.put(key, List.copyOf(found));
            }
        }
        return out;
    }

    /** Rules stale-policy and unknown-policy: the failing policy-strings against the versions. */
    private static List<FailureExplanation> policyStrings(
            RecordSetKind kind, String subject, List<PolicyStringUse> failing, List<RecordSetVersion> all) {
        List<RecordSetVersion> versions =
                all.stream().filter(v -> v.kind() == kind).toList();
        if (versions.isEmpty()) {
            return List.of(); // nothing known about the subject: nothing to compare with
        }
        Map<RecordSetVersion, Set<String>> stale = new LinkedHashMap<>();
        Set<String> unknown = new TreeSet<>();
        for (PolicyStringUse u : failing) {
            if (u.policyString().isBlank()) {
                continue;
            }
            String digest = RecordSet.digest(kind, List.of(u.policyString().split("\n")));
            Optional<RecordSetVersion> match = versions.stream()
                    .filter(v -> v.digest().equals(digest))
                    .reduce((a, b) -> b); // the latest, should a value have come back
            if (match.isEmpty()) {
                unknown.add(u.organization());
                continue;
            }
            Optional<Instant> replaced = match.get().replacedAt();
            // only a report period that began after the replacement shows a stale cache: in one that
            // spans it, the sender may have used the old policy while it was still ours
            if (replaced.isPresent()
                    && u.lastFailuresStart().isPresent()
                    && !u.lastFailuresStart().get().isBefore(replaced.get())) {
                stale.computeIfAbsent(match.get(), v -> new TreeSet<>()).add(u.organization());
            }
        }
        List<FailureExplanation> out = new ArrayList<>();
        boolean tlsa = kind == RecordSetKind.TLSA;
        stale.forEach((v, orgs) -> out.add(new FailureExplanation(
                FailureExplanation.STALE_POLICY,
                tlsa
                        ? "the TLSA records that " + named(orgs) + " used are our TLSA set of " + subject + " of "
                                + date(v.firstSeen()) + ", replaced on "
                                + date(v.replacedAt().orElseThrow())
                                + ": the sender's DNS view is stale; resolvers keep an RRset up to its TTL,"
                                + " so failures after that point at the sender's resolver"
                        : "the policy-string that " + named(orgs) + " used is our policy of " + date(v.firstSeen())
                                + ", replaced on " + date(v.replacedAt().orElseThrow())
                                + ": the sender's cache is stale (RFC 8461 section 8.1); senders refetch only"
                                + " when the _mta-sts id changes, so check that it did (mxpolicy check)")));
        if (!unknown.isEmpty()) {
            Instant since = versions.get(0).firstSeen();
            out.add(new FailureExplanation(
                    FailureExplanation.UNKNOWN_POLICY,
                    (tlsa
                                    ? "the TLSA records that " + named(unknown) + " used match no TLSA set of "
                                            + subject
                                    : "the policy-string that " + named(unknown) + " used matches no policy of "
                                            + subject)
                            + " that mxpolicy published or observed since " + date(since)
                            + ": compare it with what is served (mxpolicy check); it is older than the history,"
                            + " or not ours"));
        }
        return out;
    }

    /** Rule changed: a new version shortly before the failures started, or in their first period. */
    private Optional<FailureExplanation> changed(
            String policyType, String subject, List<PolicyStringUse> failing, List<RecordSetVersion> versions) {
        Optional<Instant> start =
                failing.stream().flatMap(u -> u.failuresStart().stream()).min(Comparator.naturalOrder());
        Optional<Instant> firstEnd =
                failing.stream().flatMap(u -> u.firstFailuresEnd().stream()).min(Comparator.naturalOrder());
        if (start.isEmpty() || firstEnd.isEmpty()) {
            return Optional.empty();
        }
        Instant from = start.get().minus(changeWindow);
        RecordSetVersion latest = null;
        Set<RecordSetKind> seen = new LinkedHashSet<>();
        for (RecordSetVersion v : versions) {
            boolean first = seen.add(v.kind()); // the first version of a kind is where the history begins
            boolean relevant = PolicyReport.TLSA.equals(policyType)
                    ? v.kind() == RecordSetKind.TLSA
                    : v.kind() == RecordSetKind.STS_POLICY || v.kind() == RecordSetKind.STS_ID;
            if (!first
                    && relevant
                    && !v.firstSeen().isBefore(from)
                    && v.firstSeen().isBefore(firstEnd.get())) {
                latest = v;
            }
        }
        if (latest == null) {
            return Optional.empty();
        }
        String what = switch (latest.kind()) {
            case TLSA -> "the TLSA set of " + subject;
            case STS_ID -> "the _mta-sts id of " + subject;
            case STS_POLICY -> "the MTA-STS policy of " + subject;
        };
        String when = latest.firstSeen().isAfter(start.get())
                ? " changed at " + MessageText.instant(latest.firstSeen())
                        + ", within the first report period with failures ("
                        + MessageText.instant(start.get()) + " to "
                        + MessageText.instant(firstEnd.get()) + ")"
                : " changed " + hours(Duration.between(latest.firstSeen(), start.get()))
                        + " before the failures started ("
                        + MessageText.instant(start.get()) + ")";
        String advice = latest.kind() == RecordSetKind.TLSA
                ? ": check that the new set names the key " + subject + " presents, and that the old records"
                        + " stayed until the old set's TTL had passed (mxpolicy check)"
                : ": check that the policy covers every MX host and that the _mta-sts id changed with it"
                        + " (mxpolicy check)";
        return Optional.of(new FailureExplanation(FailureExplanation.CHANGED, what + when + advice));
    }

    /** Rule single-mx: every failure at one MX host, from several senders, while others succeed. */
    private static Optional<FailureExplanation> singleMx(
            ReportSummary.Group g,
            List<PolicyStringUse> failing,
            List<FailureHost> failureHosts,
            Map<String, Set<String>> succeedingHosts,
            Map<String, Set<String>> organizations) {
        String host;
        Set<String> senders = new TreeSet<>();
        // the other MX hosts of the domain that have TLSA policies of their own, with no failure
        Set<String> succeeding = new TreeSet<>(succeedingHosts.getOrDefault(g.domain(), Set.of()));
        if (PolicyReport.TLSA.equals(g.policyType())) {
            Optional<String> subject = subject(g.domain(), g.policyType(), g.mxHosts());
            if (subject.isEmpty() || subject.get().equals(RecordSet.name(g.domain()))) {
                return Optional.empty();
            }
            host = subject.get();
            failing.forEach(u -> senders.add(u.organization()));
            succeeding.remove(host);
            if (succeeding.isEmpty()) {
                return Optional.empty();
            }
        } else {
            Set<String> named = new TreeSet<>();
            for (FailureHost f : failureHosts) {
                if (f.sessions() == 0) {
                    continue;
                }
                if (f.receivingMx().isEmpty()) {
                    return Optional.empty(); // a failure at a host not named: "only" cannot be said
                }
                named.add(f.receivingMx());
                senders.add(f.organization());
            }
            if (named.size() != 1 || g.successful() == 0) {
                return Optional.empty();
            }
            host = named.iterator().next();
            succeeding.remove(host);
        }
        if (senders.size() < 2) {
            return Optional.empty(); // one sender's failures say more about the sender
        }
        int all = organizations.getOrDefault(g.domain(), senders).size();
        String from = senders.size() >= all
                ? "from all " + all + " senders"
                : "from " + senders.size() + " of " + all + " senders";
        String others = succeeding.isEmpty()
                ? g.successful() + " other sessions succeeded"
                : String.join(", ", succeeding) + (succeeding.size() == 1 ? " succeeds" : " succeed");
        return Optional.of(new FailureExplanation(
                FailureExplanation.SINGLE_MX,
                "failures at " + host + " only, " + from + " (" + named(senders) + "), while " + others + ": look at "
                        + host + " (its certificate and TLSA records in mxpolicy check, its STARTTLS, its mail log)"));
    }

    /**
     * The history subject of a group: the MX host of a {@code tlsa} policy (its one mx-host, or
     * the policy domain when there is none, as some reporters give the host there), the domain of
     * an {@code sts} policy.
     */
    private static Optional<String> subject(String domain, String policyType, String mxHosts) {
        if (PolicyReport.STS.equals(policyType)) {
            return Optional.of(RecordSet.name(domain));
        }
        if (PolicyReport.TLSA.equals(policyType)) {
            if (mxHosts.isEmpty()) {
                return Optional.of(RecordSet.name(domain));
            }
            return mxHosts.contains(" ") ? Optional.empty() : Optional.of(RecordSet.name(mxHosts));
        }
        return Optional.empty();
    }

    /** The kind a policy-string of the type is compared with. */
    private static Optional<RecordSetKind> matchKind(String policyType) {
        return switch (policyType) {
            case PolicyReport.TLSA -> Optional.of(RecordSetKind.TLSA);
            case PolicyReport.STS -> Optional.of(RecordSetKind.STS_POLICY);
            default -> Optional.empty();
        };
    }

    /** {@code google.com, microsoft.com} and how many more. */
    private static String named(Set<String> organizations) {
        List<String> all = List.copyOf(organizations);
        String text = String.join(", ", all.subList(0, Math.min(NAMED, all.size())));
        return all.size() > NAMED ? text + " and " + (all.size() - NAMED) + " more" : text;
    }

    private static LocalDate date(Instant instant) {
        return instant.atZone(ZoneOffset.UTC).toLocalDate();
    }

    /** {@code 3 h}, {@code 45 min}: the precision the report periods allow. */
    private static String hours(Duration d) {
        long minutes = d.toMinutes();
        return minutes < 60 ? minutes + " min" : d.toHours() + " h";
    }
}
