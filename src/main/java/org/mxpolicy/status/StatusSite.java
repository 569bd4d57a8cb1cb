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
        return new Page(200, overview(model.get(), OverviewQuery.of(params), now, staleAfter, false));
    }

    /** The page of a domain; 404 when the check run does not know it. */
    public Page domain(String name) {
        Instant now = clock.instant();
        try {
            Optional<StatusModel> model = source.check();
            Optional<DomainRow> row = model.flatMap(m -> m.row(name));
            if (row.isEmpty()) {
                return notFound("the last check run has no domain " + name);
            }
            Map<String, Object> m = base(model.get(), now, staleAfter);
            m.put("title", name);
            m.put("domain", DomainView.of(model.get(), row.get()));
            m.put("reportDays", reports.map(r -> r.days(name, now)).orElse(null));
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
                return notFound("the last check run has no MX host " + name);
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
        return overview(model, all, now, staleAfter, true);
    }

    private static String overview(
            StatusModel model, OverviewQuery q, Instant now, Duration staleAfter, boolean standalone) {
        Map<String, Object> m = base(model, now, staleAfter);
        m.put("title", "Mail security status");
        m.put("overview", OverviewPage.of(model, q));
        m.put("levels", List.of(Level.CRITICAL, Level.UNKNOWN, Level.WARNING, Level.OK));
        if (!standalone) {
            List<HostView.ExpiryRow> soonest =
                    HostView.expiryRows(model.expiries().stream().limit(20).toList(), now);
            m.put("soonest", soonest);
        } else {
            m.put("soonest", List.of());
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

    private static Page notFound(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", "Not found");
        m.put("problem", message);
        return new Page(404, StatusPages.render("status/problem.ftlh", m, "../", false));
    }
}
