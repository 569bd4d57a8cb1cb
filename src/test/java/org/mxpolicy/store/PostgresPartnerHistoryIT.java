package org.mxpolicy.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.mxpolicy.testing.PostgresServer;

/** The verdict history on a real PostgreSQL, with the same expectations as on SQLite. */
class PostgresPartnerHistoryIT extends PartnerHistoryContract {

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
    JdbcReportStore openEmpty() throws Exception {
        return JdbcReportStore.open(StoreLocation.of(server.createDatabase(), Path.of("/")));
    }
}
