package org.mxpolicy.status;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the overview shows, from its query parameters: {@code q} (part of a domain name),
 * {@code level} (one status word), {@code sort} (a column), {@code order} ({@code asc} or
 * {@code desc}), {@code page} (from 1) and {@code size} (rows per page). Unknown or malformed
 * values fall back to the default, so a hand-edited address still shows a page.
 */
public record OverviewQuery(String q, Optional<Level> level, Column sort, boolean descending, int page, int size) {

    public static final int DEFAULT_SIZE = 100;
    public static final int MAX_SIZE = 1000;

    /** The columns the overview sorts by, with their parameter value. */
    public enum Column {
        NAME("name"),
        STATUS("status"),
        MX("mx"),
        MTA_STS("mta-sts"),
        TLS_RPT("tls-rpt"),
        DNSSEC("dnssec");

        private final String param;

        Column(String param) {
            this.param = param;
        }

        public String param() {
            return param;
        }

        static Optional<Column> of(String value) {
            for (Column c : values()) {
                if (c.param.equals(value)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }

    public OverviewQuery {
        q = q == null ? "" : q.strip().toLowerCase(Locale.ROOT);
        page = Math.max(1, page);
        size = Math.max(1, size);
    }

    /** Every domain, worst first: what the page shows without parameters. */
    public static OverviewQuery defaults() {
        return new OverviewQuery("", Optional.empty(), Column.STATUS, true, 1, DEFAULT_SIZE);
    }

    /** From the query parameters of a request (each name with its values, the first counts). */
    public static OverviewQuery of(Map<String, List<String>> params) {
        OverviewQuery d = defaults();
        String q = first(params, "q").orElse("");
        Optional<Level> level = first(params, "level").flatMap(OverviewQuery::level);
        Column sort = first(params, "sort").flatMap(Column::of).orElse(d.sort());
        boolean descending = first(params, "order")
                .map(o -> o.equals("desc") ? Boolean.TRUE : o.equals("asc") ? Boolean.FALSE : null)
                .orElse(sort == Column.STATUS);
        int page = first(params, "page").map(OverviewQuery::number).orElse(1);
        // A request may not ask for more than MAX_SIZE rows; the report file asks for all of them.
        int size = Math.min(
                MAX_SIZE, first(params, "size").map(OverviewQuery::number).orElse(DEFAULT_SIZE));
        return new OverviewQuery(q, level, sort, descending, page, size);
    }

    /** The level parameter's value, {@code ""} for any. */
    public String levelParam() {
        return level.map(l -> l.name().toLowerCase(Locale.ROOT)).orElse("");
    }

    private static Optional<Level> level(String value) {
        for (Level l : Level.values()) {
            if (l != Level.NONE && l.name().equalsIgnoreCase(value)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    private static int number(String value) {
        try {
            return value.length() > 9 ? 1 : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static Optional<String> first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }
}
