package org.mxpolicy.status;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.mxpolicy.check.CheckResult;
import org.mxpolicy.check.Expiry;

/**
 * The rows and indexes of one {@link CheckSnapshot}, built once when the file changes, so that a
 * page view costs a filter over the rows and the page it shows, not a parse.
 *
 * <p>Results are filed under their subject's name: a domain, an MX host (also for its addresses,
 * {@code host 192.0.2.1:25}, and its TLSA RRset, {@code _25._tcp.host. TLSA}), or a zone.
 */
public final class StatusModel {

    private static final List<String> DOMAIN_IDS =
            List.of("mx.lookup", "mx.missing", "mx.not-configured", "mx.not-in-dns", "dnssec.bogus", "dnssec.insecure");

    private final CheckSnapshot snapshot;
    private final Map<String, List<CheckResult>> byName;
    private final Map<String, List<Expiry>> expiriesByName;
    private final List<DomainRow> rows;
    private final Map<String, DomainRow> rowByName;
    private final Map<String, List<String>> domainsOfHost;
    private final Map<Level, Integer> counts;
    private final Map<String, List<DomainRow>> sorted = new ConcurrentHashMap<>();

    public StatusModel(CheckSnapshot snapshot) {
        this.snapshot = snapshot;
        Map<String, List<CheckResult>> results = new HashMap<>();
        for (CheckResult r : snapshot.results()) {
            results.computeIfAbsent(name(r.subject()), k -> new ArrayList<>()).add(r);
        }
        this.byName = results;
        Map<String, List<Expiry>> expiries = new HashMap<>();
        for (Expiry e : snapshot.expiries()) {
            expiries.computeIfAbsent(name(e.subject()), k -> new ArrayList<>()).add(e);
        }
        expiries.values().forEach(l -> l.sort(Comparator.comparing(Expiry::notAfter)));
        this.expiriesByName = expiries;

        List<CheckSnapshot.ConfiguredDomain> domains =
                snapshot.domains().isEmpty() ? fromResults() : snapshot.domains();
        Map<String, List<String>> hosts = new TreeMap<>();
        List<DomainRow> built = new ArrayList<>(domains.size());
        for (CheckSnapshot.ConfiguredDomain d : domains) {
            built.add(row(d));
            for (String h : d.mxHosts()) {
                hosts.computeIfAbsent(h, k -> new ArrayList<>()).add(d.name());
            }
        }
        built.sort(Comparator.comparing(DomainRow::name));
        this.rows = List.copyOf(built);
        Map<String, DomainRow> index = new HashMap<>();
        rows.forEach(r -> index.put(r.name(), r));
        this.rowByName = index;
        this.domainsOfHost = hosts;
        Map<Level, Integer> c = new EnumMap<>(Level.class);
        for (Level l : Level.values()) {
            c.put(l, 0);
        }
        rows.forEach(r -> c.merge(r.level(), 1, Integer::sum));
        this.counts = c;
    }

    public CheckSnapshot snapshot() {
        return snapshot;
    }

    /** Every row, in name order. */
    public List<DomainRow> rows() {
        return rows;
    }

    /** How many domains stand at each level. */
    public Map<Level, Integer> counts() {
        return counts;
    }

    public Optional<DomainRow> row(String domain) {
        return Optional.ofNullable(rowByName.get(domain));
    }

    /** The MX host names of the checked domains, in name order. */
    public List<String> hosts() {
        return List.copyOf(domainsOfHost.keySet());
    }

    /** The domains that name this MX host. */
    public List<String> domainsOf(String host) {
        return domainsOfHost.getOrDefault(host, List.of());
    }

    public boolean knowsHost(String host) {
        return domainsOfHost.containsKey(host) || byName.containsKey(host);
    }

    /** The results filed under a name (domain, host or zone), worst first. */
    public List<ExplainedResult> results(String name) {
        List<ExplainedResult> out = new ArrayList<>();
        for (CheckResult r : byName.getOrDefault(name, List.of())) {
            out.add(ExplainedResult.of(r));
        }
        out.sort(Comparator.comparing((ExplainedResult e) -> -e.level().rank())
                .thenComparing(ExplainedResult::subject)
                .thenComparing(ExplainedResult::id));
        return out;
    }

    /** The expiry times filed under a name, soonest first. */
    public List<Expiry> expiries(String name) {
        return expiriesByName.getOrDefault(name, List.of());
    }

    /** Every expiry time of the run, soonest first. */
    public List<Expiry> expiries() {
        return snapshot.expiries().stream()
                .sorted(Comparator.comparing(Expiry::notAfter))
                .toList();
    }

    /**
     * The rows in a column's order, worst first when descending, ties in name order; sorted
     * once per column and order and kept.
     */
    List<DomainRow> sortedBy(OverviewQuery.Column column, boolean descending) {
        if (column == OverviewQuery.Column.NAME && !descending) {
            return rows;
        }
        return sorted.computeIfAbsent(column.param() + (descending ? "-" : "+"), k -> {
            Comparator<DomainRow> by = switch (column) {
                case NAME -> Comparator.comparing(DomainRow::name);
                case STATUS ->
                    Comparator.comparingInt((DomainRow r) -> r.level().rank());
                case MX ->
                    Comparator.comparingInt((DomainRow r) -> r.mx().level().rank());
                case MTA_STS ->
                    Comparator.comparingInt((DomainRow r) -> r.mtaSts().level().rank());
                case TLS_RPT ->
                    Comparator.comparingInt((DomainRow r) -> r.tlsRpt().level().rank());
                case DNSSEC ->
                    Comparator.comparingInt((DomainRow r) -> r.dnssec().level().rank());
            };
            if (descending) {
                by = by.reversed();
            }
            List<DomainRow> copy = new ArrayList<>(rows);
            copy.sort(column == OverviewQuery.Column.NAME ? by : by.thenComparing(DomainRow::name));
            return List.copyOf(copy);
        });
    }

    /**
     * The name a subject is filed under: its first word, lower case, without the final dot and
     * without the {@code _25._tcp.} of a TLSA owner.
     */
    static String name(String subject) {
        int space = subject.indexOf(' ');
        String first = (space < 0 ? subject : subject.substring(0, space)).toLowerCase(Locale.ROOT);
        if (first.endsWith(".")) {
            first = first.substring(0, first.length() - 1);
        }
        if (first.startsWith("_25._tcp.")) {
            first = first.substring("_25._tcp.".length());
        }
        return first;
    }

    /** Older files name no domains: the subjects of domain results are the domains, without MX hosts. */
    private List<CheckSnapshot.ConfiguredDomain> fromResults() {
        TreeSet<String> names = new TreeSet<>();
        for (CheckResult r : snapshot.results()) {
            if (r.id().startsWith("mta-sts.") || r.id().startsWith("tlsrpt.") || DOMAIN_IDS.contains(r.id())) {
                if (r.subject().indexOf(' ') < 0) {
                    names.add(name(r.subject()));
                }
            }
        }
        List<CheckSnapshot.ConfiguredDomain> out = new ArrayList<>();
        for (String n : names) {
            boolean reports = byName.getOrDefault(n, List.of()).stream().anyMatch(r -> r.id().startsWith("tlsrpt."));
            out.add(new CheckSnapshot.ConfiguredDomain(n, List.of(), reports, Optional.empty(), Optional.empty()));
        }
        return out;
    }

    private DomainRow row(CheckSnapshot.ConfiguredDomain d) {
        List<CheckResult> own = byName.getOrDefault(d.name(), List.of());
        List<CheckResult> mx = new ArrayList<>();
        List<CheckResult> sts = new ArrayList<>();
        List<CheckResult> rpt = new ArrayList<>();
        List<CheckResult> sec = new ArrayList<>();
        for (CheckResult r : own) {
            String id = r.id();
            if (id.startsWith("mta-sts.")) {
                sts.add(r);
            } else if (id.startsWith("tlsrpt.")) {
                rpt.add(r);
            } else if (id.startsWith("dnssec.")) {
                sec.add(r);
            } else if (id.startsWith("mx.")) {
                mx.add(r);
            }
        }
        boolean daneSeen = false;
        for (String host : d.mxHosts()) {
            for (CheckResult r : byName.getOrDefault(host, List.of())) {
                if (r.id().equals("tlsa.insecure") || r.id().startsWith("dnssec.")) {
                    sec.add(r);
                } else {
                    mx.add(r);
                }
                daneSeen |= r.id().equals("dane.verified");
            }
        }
        if (own.isEmpty() && mx.isEmpty() && sec.isEmpty()) {
            Cell none = new Cell(Level.NONE, "not checked");
            return new DomainRow(d.name(), Level.NONE, none, none, "unknown", none, none, "", d.mxHosts());
        }
        Cell mxCell = cell(
                mx,
                d.mxHosts().isEmpty()
                        ? (own.isEmpty() ? "not checked" : "MX hosts not in this file")
                        : d.mxHosts().size() + " MX" + (daneSeen ? ", DANE verified" : ""));
        Cell stsCell;
        String served = "unknown";
        if (d.mtaStsMode().isPresent() || !sts.isEmpty()) {
            String text = d.mtaStsMode()
                    .map(m -> m + " id " + d.mtaStsId().orElse("?"))
                    .orElse("policy");
            stsCell = cell(sts, text);
            if (sts.stream().anyMatch(r -> r.id().equals("mta-sts.ok"))) {
                served = "yes";
            } else if (sts.stream()
                    .anyMatch(r -> r.id().equals("mta-sts.id-stale")
                            || r.id().equals("mta-sts.policy-differs")
                            || r.id().equals("mta-sts.id-not-changed"))) {
                served = "no";
            }
        } else {
            stsCell = Cell.NONE;
            served = "n/a";
        }
        Cell rptCell = d.tlsReports() || !rpt.isEmpty() ? cell(rpt, "reports asked for") : Cell.NONE;
        Cell secCell = cell(sec, "validated");
        Level level =
                mxCell.level().worse(stsCell.level()).worse(rptCell.level()).worse(secCell.level());
        CheckResult worst = null;
        for (List<CheckResult> group : List.of(mx, sts, rpt, sec)) {
            for (CheckResult r : group) {
                if (worst == null
                        || Level.of(r.status()).rank()
                                > Level.of(worst.status()).rank()) {
                    worst = r;
                }
            }
        }
        String worstText = worst == null || Level.of(worst.status()) == Level.OK
                ? ""
                : worst.subject() + ": " + worst.message() + " [" + worst.id() + "]";
        return new DomainRow(d.name(), level, mxCell, stsCell, served, rptCell, secCell, worstText, d.mxHosts());
    }

    /**
     * The worst level of the results, with the worst id as text, or the text given when all are
     * OK; when there are no results the level is OK only if something was looked at.
     */
    private static Cell cell(List<CheckResult> results, String okText) {
        Level level = Level.OK;
        String id = null;
        for (CheckResult r : results) {
            Level l = Level.of(r.status());
            if (l.rank() > level.rank()) {
                level = l;
                id = r.id();
            }
        }
        return new Cell(level, id == null ? okText : id);
    }

    /** A map of query parameters, for links that change one of them. */
    static Map<String, String> params(OverviewQuery q) {
        Map<String, String> m = new LinkedHashMap<>();
        if (!q.q().isEmpty()) {
            m.put("q", q.q());
        }
        if (q.level().isPresent()) {
            m.put("level", q.levelParam());
        }
        m.put("sort", q.sort().param());
        m.put("order", q.descending() ? "desc" : "asc");
        m.put("size", Integer.toString(q.size()));
        return m;
    }
}
