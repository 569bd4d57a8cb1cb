package org.mxpolicy.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the report store is: an SQLite file (the default, nothing to install) or a PostgreSQL
 * database, written {@code postgresql://user:password@host:5432/mxpolicy} (libpq's URI form) for
 * several hosts that ingest into one place.
 *
 * @param jdbcUrl what the JDBC driver is given, without user and password
 * @param user the database user, for PostgreSQL
 * @param password the password, for PostgreSQL
 * @param sqliteFile the database file, for SQLite
 */
public record StoreLocation(
        String jdbcUrl, Optional<String> user, Optional<String> password, Optional<Path> sqliteFile) {

    public StoreLocation {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(sqliteFile, "sqliteFile");
    }

    /** An SQLite database in {@code file}. */
    public static StoreLocation sqlite(Path file) {
        return new StoreLocation(
                "jdbc:sqlite:" + file.toAbsolutePath(), Optional.empty(), Optional.empty(), Optional.of(file));
    }

    /**
     * The location the config names: a {@code postgresql://} or {@code postgres://} URI, or else a
     * path of an SQLite file, relative to {@code baseDir}.
     *
     * @throws IllegalArgumentException a PostgreSQL URI that cannot be read
     */
    public static StoreLocation of(String text, Path baseDir) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("postgresql://") && !lower.startsWith("postgres://")) {
            return sqlite(baseDir.resolve(text));
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a PostgreSQL URI: " + e.getMessage(), e);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("a PostgreSQL URI needs a host, as in postgresql://host/mxpolicy");
        }
        String database = uri.getRawPath() == null || uri.getRawPath().length() <= 1
                ? "mxpolicy"
                : uri.getRawPath().substring(1);
        String host = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = Optional.of(decode(colon < 0 ? info : info.substring(0, colon)));
            if (colon >= 0) {
                password = Optional.of(decode(info.substring(colon + 1)));
            }
        }
        return new StoreLocation(
                "jdbc:postgresql://" + host + "/" + database + query, user, password, Optional.empty());
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    public boolean isSqlite() {
        return sqliteFile.isPresent();
    }

    /** For messages: the URL with the user, never the password. */
    public String display() {
        return user.map(u -> jdbcUrl.replace("jdbc:postgresql://", "postgresql://" + u + "@"))
                .orElse(jdbcUrl.replaceFirst("^jdbc:", ""));
    }

    @Override
    public String toString() {
        return display();
    }
}
