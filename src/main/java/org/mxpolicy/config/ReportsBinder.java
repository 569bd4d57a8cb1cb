package org.mxpolicy.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Binds {@code reports}: the store of TLS reports, their retention, the quarantine and Maildir folders. */
final class ReportsBinder extends SectionBinder {

    static final String RETENTION = "reports.retention";

    private static final List<String> REPORTS_KEYS =
            List.of("database", "retention", "quarantine_dir", "processed_folder");

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
        if (retention == null) {
            return null;
        }
        return new ReportsSettings(
                Optional.ofNullable(database),
                retention,
                Optional.ofNullable(quarantine),
                Optional.ofNullable(processed),
                entry.keyPosition());
    }
}
