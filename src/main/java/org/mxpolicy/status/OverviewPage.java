package org.mxpolicy.status;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One page of the overview: the rows that pass the filter, in the order asked for, the counts
 * by level over all domains, and the links to the other pages and orders.
 *
 * @param matched how many domains pass the filter
 * @param total how many domains there are
 * @param counts per level, worst first, with the link that filters by it
 * @param columns the sortable columns with their links
 */
public record OverviewPage(
        List<DomainRow> rows,
        int matched,
        int total,
        int page,
        int pages,
        OverviewQuery query,
        List<Count> counts,
        List<SortLink> columns,
        String previous,
        String next,
        String first,
        String last) {

    /** The choices of rows per page: the usual ones, and the one asked for when it is another. */
    public List<Integer> sizes() {
        List<Integer> sizes = new ArrayList<>(List.of(50, 100, 500, 1000));
        if (!sizes.contains(query.size())) {
            sizes.add(query.size());
            sizes.sort(null);
        }
        return sizes;
    }

    /** How many domains stand at a level, and the link that shows only those. */
    public record Count(Level level, int domains, String href) {}

    /**
     * A column heading: its label, the link that sorts by it (the other way when it is the sort
     * already) and {@code ascending}, {@code descending} or {@code none} for aria-sort.
     */
    public record SortLink(String label, String href, String sorted) {}

    /** Filters, sorts and cuts out the page; the cost is one pass over the rows and the page's size. */
    public static OverviewPage of(StatusModel model, OverviewQuery q) {
        List<DomainRow> ordered = model.sortedBy(q.sort(), q.descending());
        List<DomainRow> matching;
        if (q.q().isEmpty() && q.level().isEmpty()) {
            matching = ordered;
        } else {
            matching = new ArrayList<>();
            for (DomainRow r : ordered) {
                if (r.name().contains(q.q())
                        && q.level().map(l -> l == r.level()).orElse(true)) {
                    matching.add(r);
                }
            }
        }
        int matched = matching.size();
        int pages = Math.max(1, (matched + q.size() - 1) / q.size());
        int page = Math.min(q.page(), pages);
        List<DomainRow> rows = new ArrayList<>(q.size());
        for (int i = 0; i < q.size(); i++) {
            int index = (page - 1) * q.size() + i;
            if (index >= matched) {
                break;
            }
            rows.add(matching.get(index));
        }
        Map<String, String> base = StatusModel.params(q);
        List<Count> counts = new ArrayList<>();
        for (Level l : List.of(Level.CRITICAL, Level.UNKNOWN, Level.WARNING, Level.OK)) {
            Map<String, String> m = new LinkedHashMap<>(base);
            m.put("level", l.name().toLowerCase(java.util.Locale.ROOT));
            counts.add(new Count(l, model.counts().get(l), href(m)));
        }
        List<SortLink> columns = new ArrayList<>();
        for (OverviewQuery.Column c : OverviewQuery.Column.values()) {
            Map<String, String> m = new LinkedHashMap<>(base);
            m.put("sort", c.param());
            boolean current = c == q.sort();
            boolean descending = current ? !q.descending() : c != OverviewQuery.Column.NAME;
            m.put("order", descending ? "desc" : "asc");
            columns.add(
                    new SortLink(label(c), href(m), current ? (q.descending() ? "descending" : "ascending") : "none"));
        }
        return new OverviewPage(
                List.copyOf(rows),
                matched,
                model.rows().size(),
                page,
                pages,
                q,
                counts,
                columns,
                page > 1 ? pageHref(base, page - 1) : "",
                page < pages ? pageHref(base, page + 1) : "",
                page > 1 ? pageHref(base, 1) : "",
                page < pages ? pageHref(base, pages) : "");
    }

    private static String label(OverviewQuery.Column c) {
        return switch (c) {
            case NAME -> "Domain";
            case STATUS -> "Status";
            case MX -> "MX, TLSA, DANE";
            case MTA_STS -> "MTA-STS";
            case TLS_RPT -> "TLS-RPT";
            case DNSSEC -> "DNSSEC";
        };
    }

    private static String pageHref(Map<String, String> base, int page) {
        Map<String, String> m = new LinkedHashMap<>(base);
        m.put("page", Integer.toString(page));
        return href(m);
    }

    /** A query string starting with {@code ?}, values URL-encoded (the template escapes it for HTML too). */
    static String href(Map<String, String> params) {
        StringBuilder out = new StringBuilder("?");
        params.forEach((k, v) -> {
            if (out.length() > 1) {
                out.append('&');
            }
            out.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return out.toString();
    }
}
