package org.mxpolicy.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.mxpolicy.history.HistoryException;
import org.mxpolicy.transparency.Assessment.State;
import org.mxpolicy.transparency.PartnerHistory;
import org.mxpolicy.transparency.PartnerVerdict;
import org.mxpolicy.transparency.PastVerdict;
import org.mxpolicy.transparency.VerdictHistory;
import org.mxpolicy.transparency.VerdictState;

/**
 * The transparency report's verdicts in the report store (table {@code partner_verdict}, migration
 * V4), on the store's connection: versions per partner as {@code record_set_version} keeps them
 * for record sets.
 */
final class JdbcPartnerHistory implements VerdictHistory {

    private final Connection connection;
    private final StoreLocation location;

    JdbcPartnerHistory(Connection connection, StoreLocation location) {
        this.connection = connection;
        this.location = location;
    }

    private record Current(VerdictState state, long firstSeen) {}

    @Override
    public Map<String, PartnerHistory> record(Collection<PartnerVerdict> verdicts, Instant at) throws HistoryException {
        try {
            try {
                return recordOnce(verdicts, at.getEpochSecond());
            } catch (SQLException e) {
                // another report opened a version of the same partner a moment ago (the unique
                // index on current versions): read again and record on top of it
                connection.rollback();
                return recordOnce(verdicts, at.getEpochSecond());
            }
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the first failure is the one to report
            }
            throw new HistoryException(
                    "cannot record the partner verdicts in the report store " + location + ": " + e.getMessage(), e);
        }
    }

    private Map<String, PartnerHistory> recordOnce(Collection<PartnerVerdict> verdicts, long at) throws SQLException {
        Map<String, Current> current = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT partner, meets, dane, tls, mta_sts, dnssec,"
                        + " first_seen FROM partner_verdict WHERE replaced_at IS NULL");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                current.put(rows.getString(1), new Current(state(rows, 2), rows.getLong(7)));
            }
        }
        Map<String, PartnerHistory> result = new LinkedHashMap<>();
        try (PreparedStatement seen = connection.prepareStatement("UPDATE partner_verdict"
                        + " SET last_seen = CASE WHEN last_seen < ? THEN ? ELSE last_seen END"
                        + " WHERE partner = ? AND replaced_at IS NULL");
                PreparedStatement rewrite = connection.prepareStatement("UPDATE partner_verdict"
                        + " SET meets = ?, dane = ?, tls = ?, mta_sts = ?, dnssec = ?"
                        + " WHERE partner = ? AND replaced_at IS NULL");
                PreparedStatement replaced = connection.prepareStatement(
                        "UPDATE partner_verdict SET replaced_at = ? WHERE partner = ? AND replaced_at IS NULL");
                PreparedStatement insert = connection.prepareStatement("INSERT INTO partner_verdict"
                        + " (partner, meets, dane, tls, mta_sts, dnssec, first_seen, last_seen, replaced_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)")) {
            for (PartnerVerdict verdict : verdicts) {
                String partner = verdict.domain();
                VerdictState state = verdict.state();
                Current now = current.get(partner);
                if (now != null && (now.state().equals(state) || now.firstSeen() > at)) {
                    // the same verdict again, or a later report recorded already: history stays
                    seen.setLong(1, at);
                    seen.setLong(2, at);
                    seen.setString(3, partner);
                    seen.executeUpdate();
                    result.put(partner, new PartnerHistory(Instant.ofEpochSecond(now.firstSeen()), previous(partner)));
                    continue;
                }
                if (now != null && now.firstSeen() == at) {
                    // two reports within one second: the later verdict stands for that second
                    bind(rewrite, state, 1);
                    rewrite.setString(6, partner);
                    rewrite.executeUpdate();
                    result.put(partner, new PartnerHistory(Instant.ofEpochSecond(at), previous(partner)));
                    continue;
                }
                if (now != null) {
                    replaced.setLong(1, at);
                    replaced.setString(2, partner);
                    replaced.executeUpdate();
                }
                insert.setString(1, partner);
                bind(insert, state, 2);
                insert.setLong(7, at);
                insert.setLong(8, at);
                insert.executeUpdate();
                result.put(partner, new PartnerHistory(Instant.ofEpochSecond(at), previous(partner)));
            }
        }
        connection.commit();
        return result;
    }

    /** The verdict before the current one, if any. */
    private Optional<PastVerdict> previous(String partner) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT partner, meets, dane, tls, mta_sts, dnssec,"
                + " first_seen, replaced_at FROM partner_verdict WHERE partner = ? AND replaced_at IS NOT NULL"
                + " ORDER BY replaced_at DESC, first_seen DESC LIMIT 1")) {
            select.setString(1, partner);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new PastVerdict(
                        state(rows, 2),
                        Instant.ofEpochSecond(rows.getLong(7)),
                        Instant.ofEpochSecond(rows.getLong(8))));
            }
        }
    }

    private static VerdictState state(ResultSet rows, int first) throws SQLException {
        return new VerdictState(
                State.ofKey(rows.getString(first)),
                State.ofKey(rows.getString(first + 1)),
                State.ofKey(rows.getString(first + 2)),
                State.ofKey(rows.getString(first + 3)),
                State.ofKey(rows.getString(first + 4)));
    }

    private static void bind(PreparedStatement statement, VerdictState state, int first) throws SQLException {
        statement.setString(first, state.meets().key());
        statement.setString(first + 1, state.dane().key());
        statement.setString(first + 2, state.tls().key());
        statement.setString(first + 3, state.mtaSts().key());
        statement.setString(first + 4, state.dnssec().key());
    }
}
