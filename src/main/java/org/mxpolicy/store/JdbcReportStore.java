package org.mxpolicy.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.mxpolicy.history.HistoryException;
import org.mxpolicy.history.PublicationHistory;
import org.mxpolicy.history.RecordSet;
import org.mxpolicy.history.RecordSetKind;
import org.mxpolicy.history.RecordSetSource;
import org.mxpolicy.history.RecordSetVersion;
import org.mxpolicy.tlsrpt.FailureDetail;
import org.mxpolicy.tlsrpt.ParseNote;
import org.mxpolicy.tlsrpt.ParsedReport;
import org.mxpolicy.tlsrpt.PolicyReport;
import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.ReportStoreException;
import org.mxpolicy.tlsrpt.TlsReport;
import org.mxpolicy.transparency.VerdictHistory;

/**
 * The report store on SQLite or PostgreSQL through JDBC, one schema for both, migrated by Flyway
 * from {@code db/reports/} when opened. A report is written in one transaction; a report whose
 * organisation and report id are stored already is a duplicate and changes nothing, also when two
 * ingesters race for it (the primary key decides). The same database keeps the history of
 * published and observed record sets ({@link PublicationHistory}) the summary explains failures
 * against.
 */
public final class JdbcReportStore implements ReportStore, PublicationHistory {

    /** Subjects asked for in one statement: well below the bind limits of both databases. */
    private static final int SUBJECTS_PER_QUERY = 500;

    /** How long SQLite waits for another ingester's write to finish before giving up (EX_TEMPFAIL). */
    private static final int SQLITE_BUSY_MILLIS = 30_000;

    private static final Object MIGRATION = new Object();

    private final Connection connection;
    private final StoreLocation location;

    private JdbcReportStore(Connection connection, StoreLocation location) {
        this.connection = connection;
        this.location = location;
    }

    /**
     * Opens the store, creating it (an SQLite file in a directory private to its owner) and
     * migrating its schema as needed.
     *
     * @throws ReportStoreException the database cannot be reached, created or migrated
     */
    public static JdbcReportStore open(StoreLocation location) throws ReportStoreException {
        Properties properties = new Properties();
        location.user().ifPresent(u -> properties.setProperty("user", u));
        location.password().ifPresent(p -> properties.setProperty("password", p));
        if (location.isSqlite()) {
            Path file = location.sqliteFile().orElseThrow();
            try {
                Path dir = file.toAbsolutePath().getParent();
                if (dir != null && !Files.isDirectory(dir)) {
                    Files.createDirectories(
                            dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
                if (!Files.exists(file)) {
                    // reports carry IP addresses: the file (and SQLite's -wal and -shm beside it,
                    // which take its mode) is for its owner only; SQLite takes an empty file as new
                    try {
                        Files.createFile(
                                file,
                                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    } catch (FileAlreadyExistsException e) {
                        // another ingester created it a moment ago
                    }
                }
            } catch (IOException e) {
                throw ReportStoreException.io("cannot create " + file, e);
            }
            properties.setProperty("busy_timeout", Integer.toString(SQLITE_BUSY_MILLIS));
            properties.setProperty("foreign_keys", "true");
            properties.setProperty("journal_mode", "WAL");
            // take the write lock when a transaction begins, waiting up to busy_timeout for it:
            // a read transaction that later writes fails at once when another writer came between
            properties.setProperty("transaction_mode", "IMMEDIATE");
        }
        if (location.isSqlite()) {
            migrateLocked(location, location.sqliteFile().orElseThrow());
        } else {
            migrate(location); // Flyway serialises PostgreSQL migrations with an advisory lock
        }
        try {
            Connection connection = DriverManager.getConnection(location.jdbcUrl(), properties);
            connection.setAutoCommit(false);
            return new JdbcReportStore(connection, location);
        } catch (SQLException e) {
            throw unavailable("cannot open", location, e);
        }
    }

    /**
     * Migrates an SQLite database holding a lock file beside it: Flyway takes no lock on SQLite,
     * and two ingesters started at once on a new database would both create the tables.
     */
    private static void migrateLocked(StoreLocation location, Path file) throws ReportStoreException {
        // a file lock excludes other processes; within this one, threads take turns here first
        synchronized (MIGRATION) {
            migrateLockedFile(location, file);
        }
    }

    private static void migrateLockedFile(StoreLocation location, Path file) throws ReportStoreException {
        Path lock = file.resolveSibling(file.getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(
                        lock,
                        Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                FileLock held = channel.lock()) {
            migrate(location);
        } catch (IOException e) {
            throw ReportStoreException.io("cannot lock " + lock, e);
        }
    }

    private static void migrate(StoreLocation location) throws ReportStoreException {
        try {
            Flyway.configure(JdbcReportStore.class.getClassLoader())
                    .dataSource(
                            location.jdbcUrl(),
                            location.user().orElse(null),
                            location.password().orElse(null))
                    .locations("classpath:db/reports")
                    .table("report_schema_history")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new ReportStoreException(
                    "cannot migrate the report store " + location + ": " + firstLine(e.getMessage()), e);
        }
    }

    @Override
    public Outcome store(ParsedReport parsed, String source, Instant received) throws ReportStoreException {
        TlsReport report = parsed.report();
        try {
            if (exists(report)) {
                connection.rollback();
                return Outcome.DUPLICATE;
            }
            try {
                insert(parsed, source, received);
                connection.commit();
                return Outcome.STORED;
            } catch (SQLException e) {
                connection.rollback();
                if (exists(report)) {
                    connection.rollback();
                    return Outcome.DUPLICATE; // another ingester stored it first
                }
                throw e;
            }
        } catch (SQLException e) {
            rollbackQuietly();
            throw unavailable("cannot store a report in", location, e);
        }
    }

    private boolean exists(TlsReport report) throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement("SELECT 1 FROM report WHERE organization_name = ? AND report_id = ?")) {
            select.setString(1, report.organizationName());
            select.setString(2, report.reportId());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    private void insert(ParsedReport parsed, String source, Instant received) throws SQLException {
        TlsReport report = parsed.report();
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO report (organization_name, report_id,"
                + " contact_info, start_time, end_time, received_at, source, parse_notes)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, report.organizationName());
            insert.setString(2, report.reportId());
            setOptional(insert, 3, report.contactInfo());
            insert.setLong(4, report.start().getEpochSecond());
            insert.setLong(5, report.end().getEpochSecond());
            insert.setLong(6, received.getEpochSecond());
            insert.setString(7, source);
            insert.setString(8, parsed.notes().stream().map(ParseNote::toString).collect(Collectors.joining("\n")));
            insert.executeUpdate();
        }
        try (PreparedStatement policies = connection.prepareStatement("INSERT INTO report_policy (organization_name,"
                        + " report_id, policy_index, policy_type, policy_domain, policy_string, mx_host,"
                        + " successful_sessions, failed_sessions, start_time, end_time)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement failures = connection.prepareStatement("INSERT INTO failure_detail"
                        + " (organization_name, report_id, policy_index, detail_index, policy_type, policy_domain,"
                        + " mx_host, end_time, result_type, sending_mta_ip, receiving_mx_hostname,"
                        + " receiving_mx_helo, receiving_ip, failed_session_count, additional_information,"
                        + " failure_reason_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int p = 0;
            for (PolicyReport policy : report.policies()) {
                String mx = mxHosts(policy);
                policies.setString(1, report.organizationName());
                policies.setString(2, report.reportId());
                policies.setInt(3, p);
                policies.setString(4, policy.policyType());
                policies.setString(5, policy.policyDomain());
                policies.setString(6, String.join("\n", policy.policyStrings()));
                policies.setString(7, mx);
                policies.setLong(8, policy.successfulSessions());
                policies.setLong(9, policy.failedSessions());
                policies.setLong(10, report.start().getEpochSecond());
                policies.setLong(11, report.end().getEpochSecond());
                policies.addBatch();
                int d = 0;
                for (FailureDetail f : policy.failures()) {
                    failures.setString(1, report.organizationName());
                    failures.setString(2, report.reportId());
                    failures.setInt(3, p);
                    failures.setInt(4, d++);
                    failures.setString(5, policy.policyType());
                    failures.setString(6, policy.policyDomain());
                    failures.setString(7, mx);
                    failures.setLong(8, report.end().getEpochSecond());
                    failures.setString(9, f.resultType());
                    setOptional(failures, 10, f.sendingMtaIp());
                    setOptional(failures, 11, f.receivingMxHostname());
                    setOptional(failures, 12, f.receivingMxHelo());
                    setOptional(failures, 13, f.receivingIp());
                    failures.setLong(14, f.failedSessionCount());
                    setOptional(failures, 15, f.additionalInformation());
                    setOptional(failures, 16, f.failureReasonCode());
                    failures.addBatch();
                }
                p++;
            }
            policies.executeBatch();
            failures.executeBatch();
        }
    }

    /** The policy's mx-host entries as one key: sorted, without repeats, separated by spaces. */
    static String mxHosts(PolicyReport policy) {
        return policy.mxHosts().stream().distinct().sorted().collect(Collectors.joining(" "));
    }

    @Override
    public SummaryData summary(Instant since, Optional<String> domain) throws ReportStoreException {
        String where = " WHERE end_time >= ?" + (domain.isPresent() ? " AND policy_domain = ?" : "");
        List<PolicyTotal> totals = new ArrayList<>();
        List<FailureTotal> failures = new ArrayList<>();
        List<FailureHost> hosts = new ArrayList<>();
        try {
            try (PreparedStatement select = connection.prepareStatement("SELECT policy_domain, policy_type, mx_host,"
                    + " SUM(successful_sessions), SUM(failed_sessions), COUNT(*), MIN(start_time), MAX(end_time)"
                    + " FROM report_policy" + where + " GROUP BY policy_domain, policy_type, mx_host")) {
                bind(select, since, domain);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        totals.add(new PolicyTotal(
                                rows.getString(1),
                                rows.getString(2),
                                rows.getString(3),
                                rows.getLong(4),
                                rows.getLong(5),
                                rows.getLong(6),
                                Instant.ofEpochSecond(rows.getLong(7)),
                                Instant.ofEpochSecond(rows.getLong(8))));
                    }
                }
            }
            // one pass over the summary index (V3) gives both the failures by result type and
            // organisation, and the failures by receiving MX host the explanations need
            Map<List<String>, Long> byType = new LinkedHashMap<>();
            Map<List<String>, Long> byHost = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT policy_domain, policy_type, mx_host,"
                    + " result_type, organization_name, receiving_mx_hostname, SUM(failed_session_count)"
                    + " FROM failure_detail" + where + " GROUP BY policy_domain, policy_type, mx_host, result_type,"
                    + " organization_name, receiving_mx_hostname")) {
                bind(select, since, domain);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        String policyDomain = rows.getString(1);
                        String type = rows.getString(2);
                        String mx = rows.getString(3);
                        String organization = rows.getString(5);
                        String receiving = rows.getString(6);
                        long sessions = rows.getLong(7);
                        byType.merge(
                                List.of(policyDomain, type, mx, rows.getString(4), organization), sessions, Long::sum);
                        // reporters differ in case and trailing dots
                        byHost.merge(
                                List.of(
                                        policyDomain,
                                        type,
                                        mx,
                                        receiving == null ? "" : RecordSet.name(receiving),
                                        organization),
                                sessions,
                                Long::sum);
                    }
                }
            }
            byType.forEach((k, sessions) ->
                    failures.add(new FailureTotal(k.get(0), k.get(1), k.get(2), k.get(3), k.get(4), sessions)));
            byHost.forEach((k, sessions) ->
                    hosts.add(new FailureHost(k.get(0), k.get(1), k.get(2), k.get(3), k.get(4), sessions)));
            connection.rollback();
        } catch (SQLException e) {
            rollbackQuietly();
            throw unavailable("cannot read the summary from", location, e);
        }
        return new SummaryData(totals, failures, hosts);
    }

    private static void bind(PreparedStatement select, Instant since, Optional<String> domain) throws SQLException {
        select.setLong(1, since.getEpochSecond());
        if (domain.isPresent()) {
            select.setString(2, domain.get());
        }
    }

    @Override
    public List<PolicyStringUse> policyStrings(Instant since, Optional<String> domain) throws ReportStoreException {
        String where = " WHERE end_time >= ?" + (domain.isPresent() ? " AND policy_domain = ?" : "");
        List<PolicyStringUse> uses = new ArrayList<>();
        try {
            try (PreparedStatement select = connection.prepareStatement("SELECT policy_domain, policy_type, mx_host,"
                    + " policy_string, organization_name, SUM(successful_sessions), SUM(failed_sessions),"
                    + " MIN(CASE WHEN failed_sessions > 0 THEN start_time END),"
                    + " MIN(CASE WHEN failed_sessions > 0 THEN end_time END),"
                    + " MAX(CASE WHEN failed_sessions > 0 THEN start_time END)"
                    + " FROM report_policy" + where
                    + " GROUP BY policy_domain, policy_type, mx_host, policy_string, organization_name")) {
                bind(select, since, domain);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        uses.add(new PolicyStringUse(
                                rows.getString(1),
                                rows.getString(2),
                                rows.getString(3),
                                rows.getString(4),
                                rows.getString(5),
                                rows.getLong(6),
                                rows.getLong(7),
                                instant(rows, 8),
                                instant(rows, 9),
                                instant(rows, 10)));
                    }
                }
            }
            connection.rollback();
        } catch (SQLException e) {
            rollbackQuietly();
            throw unavailable("cannot read the policy-strings from", location, e);
        }
        return uses;
    }

    private static Optional<Instant> instant(ResultSet rows, int column) throws SQLException {
        long seconds = rows.getLong(column);
        return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochSecond(seconds));
    }

    @Override
    public PublicationHistory history() {
        return this;
    }

    /** The verdicts of the transparency report, in the same database; closes with the store. */
    public VerdictHistory partnerHistory() {
        return new JdbcPartnerHistory(connection, location);
    }

    @Override
    public void record(Collection<RecordSet> sets, RecordSetSource source, Instant at) throws HistoryException {
        Map<List<Object>, RecordSet> latest = new LinkedHashMap<>();
        for (RecordSet set : sets) {
            latest.put(List.of(set.kind(), set.subject()), set); // one value per set and run
        }
        if (latest.isEmpty()) {
            return;
        }
        try {
            try {
                recordOnce(latest.values(), source, at.getEpochSecond());
            } catch (SQLException e) {
                // another writer opened a version of the same set a moment ago (the unique index
                // on current versions): read again and record on top of it
                connection.rollback();
                recordOnce(latest.values(), source, at.getEpochSecond());
            }
        } catch (SQLException e) {
            rollbackQuietly();
            throw new HistoryException(
                    "cannot record the record sets in the report store " + location + ": " + firstLine(e.getMessage()),
                    e);
        }
    }

    /** The current version of a set as the write needs it. */
    private record Current(String digest, long firstSeen, String source) {}

    /**
     * How long after mxpolicy published a DNS record set an observation of another value is taken
     * for a resolver's cached copy, not a change: a day, the longest common resolvers keep an
     * RRset (unbound's and BIND's default cache-max-ttl).
     */
    private static final long CACHED_VIEW_SECONDS = 86_400;

    private void recordOnce(Collection<RecordSet> sets, RecordSetSource source, long at) throws SQLException {
        Map<List<String>, Current> current = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT kind, subject, digest, first_seen, source FROM record_set_version WHERE replaced_at IS NULL")) {
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    current.put(
                            List.of(rows.getString(1), rows.getString(2)),
                            new Current(rows.getString(3), rows.getLong(4), rows.getString(5)));
                }
            }
        }
        try (PreparedStatement seen = connection.prepareStatement("UPDATE record_set_version"
                        + " SET last_seen = CASE WHEN last_seen < ? THEN ? ELSE last_seen END,"
                        + " source = CASE WHEN ? = 'published' THEN 'published' ELSE source END"
                        + " WHERE kind = ? AND subject = ? AND replaced_at IS NULL");
                PreparedStatement replaced = connection.prepareStatement("UPDATE record_set_version"
                        + " SET replaced_at = ? WHERE kind = ? AND subject = ? AND replaced_at IS NULL");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO record_set_version"
                        + " (kind, subject, value, digest, first_seen, last_seen, replaced_at, source)"
                        + " VALUES (?, ?, ?, ?, ?, ?, NULL, ?)")) {
            for (RecordSet set : sets) {
                String digest = set.digest();
                Current now = current.get(List.of(set.kind().keyword(), set.subject()));
                if (now != null && now.digest().equals(digest)) {
                    seen.setLong(1, at);
                    seen.setLong(2, at);
                    seen.setString(3, source.keyword());
                    seen.setString(4, set.kind().keyword());
                    seen.setString(5, set.subject());
                    seen.addBatch();
                    continue;
                }
                if (now != null) {
                    if (now.firstSeen() > at) {
                        continue; // a newer version is there already
                    }
                    if (source == RecordSetSource.OBSERVED
                            && set.kind() != RecordSetKind.STS_POLICY
                            && now.source().equals(RecordSetSource.PUBLISHED.keyword())
                            && at - now.firstSeen() < CACHED_VIEW_SECONDS) {
                        continue; // looked up through a resolver that may still hold what came before
                    }
                    replaced.setLong(1, at);
                    replaced.setString(2, set.kind().keyword());
                    replaced.setString(3, set.subject());
                    replaced.addBatch();
                }
                insert.setString(1, set.kind().keyword());
                insert.setString(2, set.subject());
                insert.setString(3, set.value());
                insert.setString(4, digest);
                insert.setLong(5, at);
                insert.setLong(6, at);
                insert.setString(7, source.keyword());
                insert.addBatch();
            }
            seen.executeBatch();
            replaced.executeBatch();
            insert.executeBatch();
        }
        connection.commit();
    }

    @Override
    public List<RecordSetVersion> versions(Collection<String> subjects) throws HistoryException {
        List<String> names = subjects.stream().map(RecordSet::name).distinct().toList();
        List<RecordSetVersion> versions = new ArrayList<>();
        try {
            for (int from = 0; from < names.size(); from += SUBJECTS_PER_QUERY) {
                List<String> chunk = names.subList(from, Math.min(names.size(), from + SUBJECTS_PER_QUERY));
                String marks = chunk.stream().map(n -> "?").collect(Collectors.joining(", "));
                try (PreparedStatement select = connection.prepareStatement("SELECT kind, subject, value, digest,"
                        + " first_seen, last_seen, replaced_at, source FROM record_set_version WHERE subject IN ("
                        + marks + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        select.setString(i + 1, chunk.get(i));
                    }
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            Optional<RecordSetKind> kind = RecordSetKind.of(rows.getString(1));
                            if (kind.isEmpty()) {
                                continue; // a kind of a later version of mxpolicy
                            }
                            versions.add(new RecordSetVersion(
                                    new RecordSet(kind.get(), rows.getString(2), rows.getString(3)),
                                    rows.getString(4),
                                    Instant.ofEpochSecond(rows.getLong(5)),
                                    Instant.ofEpochSecond(rows.getLong(6)),
                                    instant(rows, 7),
                                    RecordSetSource.of(rows.getString(8).toLowerCase(Locale.ROOT))
                                            .orElse(RecordSetSource.OBSERVED)));
                        }
                    }
                }
            }
            connection.rollback();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new HistoryException(
                    "cannot read the record set history from the report store " + location + ": "
                            + firstLine(e.getMessage()),
                    e);
        }
        versions.sort(java.util.Comparator.comparing((RecordSetVersion v) -> v.kind())
                .thenComparing(RecordSetVersion::subject)
                .thenComparing(RecordSetVersion::firstSeen));
        return versions;
    }

    @Override
    public List<LastReport> lastReports() throws ReportStoreException {
        List<LastReport> last = new ArrayList<>();
        // one step per domain down the index on (policy_domain, end_time)
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT policy_domain, MAX(end_time)" + " FROM report_policy GROUP BY policy_domain")) {
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    last.add(new LastReport(rows.getString(1), Instant.ofEpochSecond(rows.getLong(2))));
                }
            }
            connection.rollback();
        } catch (SQLException e) {
            rollbackQuietly();
            throw unavailable("cannot read the last reports from", location, e);
        }
        // sorted here: PostgreSQL's collation follows the locale, SQLite's the bytes
        last.sort(java.util.Comparator.comparing(LastReport::domain));
        return last;
    }

    @Override
    public int prune(Instant before) throws ReportStoreException {
        try {
            int reports;
            for (String table : List.of("failure_detail", "report_policy")) {
                try (PreparedStatement delete =
                        connection.prepareStatement("DELETE FROM " + table + " WHERE end_time < ?")) {
                    delete.setLong(1, before.getEpochSecond());
                    delete.executeUpdate();
                }
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM report WHERE end_time < ?")) {
                delete.setLong(1, before.getEpochSecond());
                reports = delete.executeUpdate();
            }
            connection.commit();
            return reports;
        } catch (SQLException e) {
            rollbackQuietly();
            throw unavailable("cannot prune", location, e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing is pending: every write commits or rolls back before it returns
        }
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the connection is broken; the exception that brought us here says why
        }
    }

    private static void setOptional(PreparedStatement statement, int index, Optional<String> value)
            throws SQLException {
        if (value.isPresent()) {
            statement.setString(index, value.get());
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }

    private static ReportStoreException unavailable(String what, StoreLocation location, SQLException e) {
        return new ReportStoreException(what + " the report store " + location + ": " + firstLine(e.getMessage()), e);
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
