package org.mxpolicy.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mxpolicy.finding.InvalidInputException;

/**
 * The status pages of the admin listener: each request reads the data through the
 * {@link StatusSource} (which parses the check run again only when its file changed) and renders
 * one page. The routes in {@code server} only pass paths and parameters here.
 */
public final class StatusSite {

    /**
     * How old the saved audit may be before the pages warn: twice a daily audit job, so one
     * late or missed run is not yet stale.
     */
    static final Duration AUDIT_STALE_AFTER = Duration.ofDays(2);

    /** How many expiry times the overview lists and draws. */
    static final int SOONEST = 12;

    /** A rendered page and its HTTP status. */
    public record Page(int status, String html) {}

    private final StatusSource source;
    private final Clock clock;
    private final Duration staleAfter;
    private final Duration margin;
    private final Optional<ReportSource> reports;

    /**
     * @param staleAfter how old the check run may be before the pages warn
     * @param margin the rollover margin of the config, for the gates' ends
     */
    public StatusSite(StatusSource source, Clock clock, Duration staleAfter, Duration margin) {
        this(source, clock, staleAfter, margin, Optional.empty());
    }

    private StatusSite(
            StatusSource source, Clock clock, Duration staleAfter, Duration margin, Optional<ReportSource> reports) {
        this.source = source;
        this.clock = clock;
        this.staleAfter = staleAfter;
        this.margin = margin;
        this.reports = reports;
    }

    /** The same pages, the domain pages with the TLS reports senders sent per day. */
    public StatusSite withReports(ReportSource source) {
        return new StatusSite(this.source, clock, staleAfter, margin, Optional.of(source));
    }

    /** The overview, filtered, sorted and cut to a page by the query parameters. */
    public Page overview(Map<String, List<String>> params) {
        Instant now = clock.instant();
        Optional<StatusModel> model;
        try {
            model = source.check();
        } catch (InvalidInputException e) {
            return problem("", e.getMessage());
        }
        if (model.isEmpty()) {
            return problem(
                    "",
                    "no check run saved yet at " + source.checkLocation() + "; run mxpolicy check --format json -o "
                            + source.checkLocation());
        }
        Map<String, Object> m = base(model.get(), now, staleAfter);
        m.put("auditLink", auditLink());
        return new Page(200, overview(m, model.get(), OverviewQuery.of(params), now, false));
    }

    /**
     * The TR-03108 view: per requirement the domains by verdict, then each domain's table with the
     * evidence, {@link AuditPage#PAGE_SIZE} domains a page; 404 when no audit is saved.
     */
    public Page tr03108(Map<String, List<String>> params) {
        Instant now = clock.instant();
        Optional<AuditRun> run;
        try {
            run = source.audit();
        } catch (InvalidInputException e) {
            return problem("", e.getMessage());
        }
        if (run.isEmpty()) {
            return notFound(
                    "", "no audit saved; configure serve.status_audit and run mxpolicy audit --format json -o FILE");
        }
        Optional<StatusModel> model;
        try {
            model = source.check();
        } catch (InvalidInputException e) {
            // the domain pages need the check run; the audit shows without links to them
            model = Optional.empty();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", "TR-03108");
        m.put("problem", "");
        m.put("auditPage", AuditPage.of(run.get(), OverviewQuery.of(params).page(), now, AUDIT_STALE_AFTER));
        m.put("rules", run.get().rules());
        Optional<StatusModel> known = model;
        m.put(
                "linked",
                run.get().domains().stream()
                        .map(AuditRun.AuditDomain::domain)
                        .filter(d -> known.flatMap(k -> k.row(d)).isPresent())
                        .collect(java.util.stream.Collectors.toSet()));
        return new Page(200, StatusPages.render("status/tr03108.ftlh", m, "", false));
    }

    /** Whether the overview links the TR-03108 view: an audit is saved (a broken one says so there). */
    private boolean auditLink() {
        try {
            return source.audit().isPresent();
        } catch (InvalidInputException e) {
            return true;
        }
    }

    /** The page of a domain; 404 when the check run does not know it. */
    public Page domain(String name) {
        Instant now = clock.instant();
        try {
            Optional<StatusModel> model = source.check();
            Optional<DomainRow> row = model.flatMap(m -> m.row(name));
            if (row.isEmpty()) {
                return notFound("../", "the last check run has no domain " + name);
            }
            Map<String, Object> m = base(model.get(), now, staleAfter);
            m.put("title", name);
            m.put("domain", DomainView.of(model.get(), row.get()));
            m.put("reportDays", reports.map(r -> r.days(name, now)).orElse(null));
            putAudit(m, name, now);
            putKeys(m, name, now);
            return new Page(200, StatusPages.render("status/domain.ftlh", m, "../", false));
        } catch (InvalidInputException e) {
            return problem("../", e.getMessage());
        }
    }

    /** The page of an MX host; 404 when neither the check run nor the rollover state know it. */
    public Page host(String name) {
        Instant now = clock.instant();
        try {
            Optional<StatusModel> model = source.check();
            if (model.isEmpty() || !model.get().knowsHost(name)) {
                return notFound("../", "the last check run has no MX host " + name);
            }
            Map<String, Object> m = base(model.get(), now, staleAfter);
            m.put("title", name);
            m.put("host", HostView.of(model.get(), name, source.rollover(name), now, margin));
            return new Page(200, StatusPages.render("status/host.ftlh", m, "../", false));
        } catch (InvalidInputException e) {
            return problem("../", e.getMessage());
        }
    }

    /**
     * The overview of every domain as one page that stands alone (stylesheet inside, no links to
     * pages that are not there): {@code mxpolicy report --format html}.
     */
    public static String report(StatusModel model, Instant now, Duration staleAfter) {
        OverviewQuery all = new OverviewQuery(
                "",
                Optional.empty(),
                OverviewQuery.Column.STATUS,
                true,
                1,
                Math.max(1, model.rows().size()));
        Map<String, Object> m = base(model, now, staleAfter);
        m.put("auditLink", false);
        return overview(m, model, all, now, true);
    }

    /** The domain's TR-03108 table for its page, when an audit is saved; a broken file is said there. */
    private void putAudit(Map<String, Object> m, String name, Instant now) {
        Optional<AuditRun> run;
        try {
            run = source.audit();
        } catch (InvalidInputException e) {
            m.put("auditProblem", e.getMessage());
            return;
        }
        if (run.isPresent()) {
            m.put("auditFreshness", Freshness.of(run.get().writtenAt(), now, AUDIT_STALE_AFTER));
            run.get().domain(name).ifPresent(d -> m.put("auditDomain", d));
        }
    }

    /** The key events of the zone of the same name, when it has a key policy; a broken key file is said there. */
    private void putKeys(Map<String, Object> m, String name, Instant now) {
        try {
            source.keys(name, now).ifPresent(k -> m.put("keyEvents", KeyEventsView.of(k, now)));
        } catch (InvalidInputException e) {
            m.put("keyProblem", e.getMessage());
        }
    }

    private static String overview(
            Map<String, Object> m, StatusModel model, OverviewQuery q, Instant now, boolean standalone) {
        m.put("title", "Mail security status");
        m.put("overview", OverviewPage.of(model, q));
        m.put("levels", List.of(Level.CRITICAL, Level.UNKNOWN, Level.WARNING, Level.OK));
        if (!standalone) {
            List<org.mxpolicy.check.Expiry> first =
                    model.expiries().stream().limit(SOONEST).toList();
            m.put("soonest", HostView.expiryRows(first, now));
            m.put(
                    "timelines",
                    first.isEmpty()
                            ? List.of()
                            : List.of(HostView.expiryTimeline(
                                    "The " + first.size() + " certificates and signatures that expire first",
                                    first,
                                    now,
                                    true)));
        } else {
            m.put("soonest", List.of());
            m.put("timelines", List.of());
        }
        return StatusPages.render("status/overview.ftlh", m, "", standalone);
    }

    private static Map<String, Object> base(StatusModel model, Instant now, Duration staleAfter) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("freshness", Freshness.of(model.snapshot().startedAt(), now, staleAfter));
        m.put("checkStatus", Level.of(model.snapshot().status()));
        m.put("pendingChanges", model.snapshot().pendingChanges());
        m.put("problem", "");
        return m;
    }

    private static Page problem(String root, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", "No status data");
        m.put("problem", message);
        return new Page(503, StatusPages.render("status/problem.ftlh", m, root, false));
    }

    private static Page notFound(String root, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", "Not found");
        m.put("problem", message);
        return new Page(404, StatusPages.render("status/problem.ftlh", m, root, false));
    }
}
