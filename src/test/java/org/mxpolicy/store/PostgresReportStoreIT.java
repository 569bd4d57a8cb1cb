package org.mxpolicy.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.mxpolicy.testing.PostgresServer;
import org.mxpolicy.tlsrpt.ReportStore;

/** The report store contract on a real PostgreSQL, with the same expected summaries as on SQLite. */
class PostgresReportStoreIT extends ReportStoreContract {

    private static PostgresServer server;

    @BeforeAll
    static void start() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    ReportStore openEmpty() throws Exception {
        return JdbcReportStore.open(StoreLocation.of(server.createDatabase(), Path.of("/")));
    }
}
