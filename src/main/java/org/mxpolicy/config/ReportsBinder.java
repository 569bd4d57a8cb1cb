package org.mxpolicy.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mxpolicy.tlsrpt.ReportThresholds;

/**
 * Binds {@code reports}: the store of TLS reports, their retention, the quarantine and Maildir
 * folders, and the IMAP mailbox.
 */
final class ReportsBinder extends SectionBinder {

    static final String RETENTION = "reports.retention";

    static final String THRESHOLDS = "reports.thresholds";

    static final String IMAP = "reports.imap";

    private static final List<String> REPORTS_KEYS =
            List.of("database", "retention", "quarantine_dir", "processed_folder", "imap", "thresholds");
    private static final List<String> IMAP_KEYS =
            List.of("server", "login_file", "folder", "processed_folder", "ca_file");
    private static final List<String> THRESHOLD_KEYS =
            List.of("window", "failure_rate", "failures", "min_sessions", "silence");
    private static final List<String> LEVEL_KEYS = List.of("warning", "critical");
    private static final Pattern PERCENT = Pattern.compile("([0-9]{1,3}(?:\\.[0-9]{1,4})?) ?%");

    ReportsBinder(SectionBinder config) {
        super(config);
    }

    ReportsSettings reports(YamlNode.Entry entry) {
        YamlNode.Mapping map = map(entry.value(), "'reports'", "a map such as { retention: 400d }", true);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, entry.keyPosition(), "under 'reports'", REPORTS_KEYS);
        ReportsSettings defaults = ReportsSettings.defaults();
        String database = optional(keys.get("database"), e -> string(e.value(), "'database'"), null);
        if (database != null && database.isBlank()) {
            error(
                    PATH,
                    keys.get("database").value().position(),
                    "'database' is empty; give a file or a postgresql:// URI");
            database = null;
        }
        if (database != null) {
            String lower = database.toLowerCase(Locale.ROOT);
            if (lower.contains("://") && !lower.startsWith("postgresql://") && !lower.startsWith("postgres://")) {
                error(
                        TYPE,
                        keys.get("database").value().position(),
                        "'database' must be a file for SQLite or a postgresql:// URI, found "
                                + Quoting.quote(database.substring(0, database.indexOf("://") + 3)));
                database = null;
            }
        }
        Duration retention = optional(keys.get("retention"), this::duration, defaults.retention());
        if (retention != null && retention.isZero()) {
            error(RETENTION, keys.get("retention").value().position(), "'retention' must be longer than 0");
            retention = null;
        }
        FileReference quarantine = optional(keys.get("quarantine_dir"), e -> file(e.value(), "'quarantine_dir'"), null);
        FileReference processed =
                optional(keys.get("processed_folder"), e -> file(e.value(), "'processed_folder'"), null);
        int errors = errorCount();
        ImapSettings imap = optional(keys.get("imap"), this::imap, null);
        boolean imapFailed = keys.get("imap") != null && errorCount() > errors;
        Duration keptFor = retention;
        ReportThresholds thresholds =
                optional(keys.get("thresholds"), e -> thresholds(e, keptFor), ReportThresholds.defaults());
        if (retention == null || imapFailed) {
            return null;
        }
        return new ReportsSettings(
                Optional.ofNullable(database),
                retention,
                Optional.ofNullable(quarantine),
                Optional.ofNullable(processed),
                Optional.ofNullable(imap),
                thresholds,
                entry.keyPosition());
    }

    /** {@code imap}: the mailbox {@code ingest --imap} reads. Null after reporting every mistake in it. */
    private ImapSettings imap(YamlNode.Entry entry) {
        String example = "a map such as { server: imap.example.com:993, login_file: tlsrpt-imap.login }";
        YamlNode.Mapping map = map(entry.value(), "'imap'", example, false);
        if (map == null) {
            return null;
        }
        int errors = errorCount();
        Keys keys = new Keys(map, entry.keyPosition(), "under 'imap'", IMAP_KEYS);
        YamlNode.Entry serverEntry = keys.required("server", "'imap'", "add server: imap.example.com:993");
        ServerAddress server = serverEntry == null ? null : imapServer(serverEntry.value());
        YamlNode.Entry loginEntry = keys.required(
                "login_file",
                "'imap'",
                "add login_file: a file with the user on its first line, the password on its second");
        FileReference login = loginEntry == null ? null : file(loginEntry.value(), "'login_file'");
        String folder = optional(keys.get("folder"), e -> folder(e, "'folder'"), ImapSettings.DEFAULT_FOLDER);
        String processed = optional(
                keys.get("processed_folder"), e -> folder(e, "'processed_folder'"), ImapSettings.DEFAULT_PROCESSED);
        FileReference ca = optional(keys.get("ca_file"), e -> file(e.value(), "'ca_file'"), null);
        if (folder != null && folder.equals(processed)) {
            YamlNode.Entry at =
                    keys.get("processed_folder") != null ? keys.get("processed_folder") : keys.get("folder");
            error(
                    IMAP,
                    at.value().position(),
                    "'processed_folder' is the folder read, " + Quoting.quote(folder)
                            + "; processed mails must go elsewhere, e.g. Processed");
        }
        if (errorCount() > errors) {
            return null;
        }
        return new ImapSettings(server, login, folder, processed, Optional.ofNullable(ca), entry.keyPosition());
    }

    /** {@code host}, {@code host:port}, {@code [2001:db8::1]:993}: port 993 (IMAPS) unless given. */
    private ServerAddress imapServer(YamlNode node) {
        ServerAddress server = server(node, "an IMAP server");
        if (server == null) {
            return null;
        }
        String text = node instanceof YamlNode.Scalar scalar ? scalar.text().strip() : "";
        boolean hasPort = text.startsWith("[")
                ? text.contains("]:")
                : text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':');
        return hasPort ? server : new ServerAddress(server.host(), ImapSettings.IMAPS_PORT, server.position());
    }

    private String folder(YamlNode.Entry entry, String what) {
        String name = string(entry.value(), what);
        if (name != null && name.isBlank()) {
            error(EMPTY, entry.value().position(), what + " is empty; give an IMAP folder name such as INBOX");
            return null;
        }
        return name;
    }

    /**
     * {@code thresholds}: what {@code check} judges the stored reports by. Null after reporting
     * every mistake in it.
     */
    private ReportThresholds thresholds(YamlNode.Entry entry, Duration retention) {
        YamlNode.Mapping map =
                map(entry.value(), "'thresholds'", "a map such as { window: 7d, failure_rate: { warning: 2% } }", true);
        if (map == null) {
            return null;
        }
        int errors = errorCount();
        Keys keys = new Keys(map, entry.keyPosition(), "under 'thresholds'", THRESHOLD_KEYS);
        ReportThresholds defaults = ReportThresholds.defaults();
        Duration window = optional(keys.get("window"), this::duration, defaults.window());
        if (window != null && window.isZero()) {
            error(THRESHOLDS, keys.get("window").value().position(), "'window' must be longer than 0");
        } else if (window != null && retention != null && window.compareTo(retention) > 0) {
            warning(
                    THRESHOLDS,
                    keys.get("window").value().position(),
                    "'window' is longer than the 'retention' of " + retention.toDays()
                            + "d: reports older than that are pruned and not counted");
        }
        double[] rates = levels(
                keys.get("failure_rate"),
                "a map such as { warning: 2%, critical: 10% }",
                this::percent,
                new double[] {defaults.rateWarning(), defaults.rateCritical()},
                rate -> BigDecimal.valueOf(rate * 100).stripTrailingZeros().toPlainString() + "%");
        double[] failures = levels(
                keys.get("failures"),
                "a map such as { warning: 10, critical: 100 }",
                e -> {
                    Long count = sessions(e);
                    return count == null ? null : count.doubleValue();
                },
                new double[] {defaults.failuresWarning(), defaults.failuresCritical()},
                count -> Long.toString((long) count));
        Long minSessions = optional(keys.get("min_sessions"), this::sessions, defaults.minSessions());
        Duration silence = optional(keys.get("silence"), this::duration, defaults.silence());
        if (errorCount() > errors || rates == null || failures == null) {
            return null;
        }
        return new ReportThresholds(
                window, rates[0], rates[1], (long) failures[0], (long) failures[1], minSessions, silence);
    }

    /**
     * {@code { warning: ..., critical: ... }}, each defaulted, with critical at least warning;
     * null after reporting a mistake.
     */
    private double[] levels(
            YamlNode.Entry entry,
            String expected,
            Function<YamlNode.Entry, Double> read,
            double[] defaults,
            DoubleFunction<String> text) {
        if (entry == null) {
            return defaults;
        }
        YamlNode.Mapping map = map(entry.value(), Quoting.quote(entry.key()), expected, true);
        if (map == null) {
            return null;
        }
        int errors = errorCount();
        Keys keys = new Keys(map, entry.keyPosition(), "under " + Quoting.quote(entry.key()), LEVEL_KEYS);
        Double warning = optional(keys.get("warning"), read, defaults[0]);
        Double critical = optional(keys.get("critical"), read, defaults[1]);
        if (errorCount() > errors) {
            return null;
        }
        if (critical < warning) {
            YamlNode.Entry at = keys.get("critical") != null ? keys.get("critical") : keys.get("warning");
            String which = keys.get("critical") != null ? "'critical'" : "the default 'critical'";
            error(
                    THRESHOLDS,
                    at.value().position(),
                    Quoting.quote(entry.key()) + ": " + which + " of " + text.apply(critical)
                            + " is below 'warning' of " + text.apply(warning)
                            + "; CRITICAL must take at least as much as WARNING");
            return null;
        }
        return new double[] {warning, critical};
    }

    /** {@code 2%}, {@code 0.5%}: a fraction of all sessions, above 0 and at most 100 %. */
    private Double percent(YamlNode.Entry entry) {
        YamlNode value = entry.value();
        if (value instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.ScalarType.NULL) {
            Matcher m = PERCENT.matcher(scalar.text().strip());
            if (m.matches()) {
                BigDecimal percent = new BigDecimal(m.group(1));
                if (percent.signum() > 0 && percent.compareTo(BigDecimal.valueOf(100)) <= 0) {
                    return percent.doubleValue() / 100;
                }
                error(
                        THRESHOLDS,
                        value.position(),
                        Quoting.quote(entry.key()) + " must be above 0% and at most 100%, found "
                                + Quoting.quote(scalar.text()));
                return null;
            }
        }
        error(
                TYPE,
                value.position(),
                Quoting.quote(entry.key()) + " must be a percentage of all sessions such as 2% or 0.5%, found "
                        + value.describe());
        return null;
    }

    private Long sessions(YamlNode.Entry entry) {
        return integer(entry, THRESHOLDS, 1, Long.MAX_VALUE, "a number of sessions, at least 1");
    }
}
