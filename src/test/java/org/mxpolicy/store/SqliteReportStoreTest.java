package org.mxpolicy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.ReportStoreException;

class SqliteReportStoreTest extends ReportStoreContract {

    @TempDir
    Path dir;

    private int databases;

    @Override
    ReportStore openEmpty() throws Exception {
        return JdbcReportStore.open(StoreLocation.sqlite(dir.resolve("state/reports-" + databases++ + ".sqlite")));
    }

    @Test
    void theDatabaseIsCreatedPrivateAndMigratedOnceAcrossOpens() throws Exception {
        Path file = dir.resolve("state/reports.sqlite");
        try (ReportStore store = JdbcReportStore.open(StoreLocation.sqlite(file))) {
            assertThat(store.summary(Instant.EPOCH, Optional.empty()).totals()).isEmpty();
        }
        try (ReportStore again = JdbcReportStore.open(StoreLocation.sqlite(file))) {
            assertThat(again.prune(Instant.EPOCH)).isZero();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void ingestersOpeningANewDatabaseAtOnceAllSucceed() throws Exception {
        Path file = dir.resolve("state/new.sqlite");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> opened = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                opened.add(pool.submit(() -> {
                    try (ReportStore store = JdbcReportStore.open(StoreLocation.sqlite(file))) {
                        return store.summary(Instant.EPOCH, Optional.empty())
                                .totals()
                                .size();
                    }
                }));
            }
            for (java.util.concurrent.Future<Integer> f : opened) {
                assertThat(f.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStoreThatCannotBeOpenedIsATemporaryFailure() throws Exception {
        Path notADirectory = dir.resolve("file");
        Files.writeString(notADirectory, "x");

        assertThatThrownBy(() -> JdbcReportStore.open(StoreLocation.sqlite(notADirectory.resolve("reports.sqlite"))))
                .isInstanceOf(ReportStoreException.class)
                .hasMessageStartingWith("cannot create " + notADirectory.resolve("reports.sqlite"))
                .extracting(e -> ((ReportStoreException) e).exitCode())
                .isEqualTo(75);
    }

    @Test
    void aPostgresqlUriBecomesAJdbcUrlWithItsUserApart() {
        StoreLocation pg = StoreLocation.of(
                "postgresql://mx%40policy:s%3Acret@db.example.com:5433/reports?sslmode=verify-full", Path.of("/etc"));

        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:5433/reports?sslmode=verify-full");
        assertThat(pg.user()).contains("mx@policy");
        assertThat(pg.password()).contains("s:cret");
        assertThat(pg.display()).isEqualTo("postgresql://mx@policy@db.example.com:5433/reports?sslmode=verify-full");
        assertThat(StoreLocation.of("reports.sqlite", Path.of("/var/lib/mxpolicy"))
                        .sqliteFile())
                .contains(Path.of("/var/lib/mxpolicy/reports.sqlite"));
    }
}
