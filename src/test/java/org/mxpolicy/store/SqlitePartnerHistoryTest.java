package org.mxpolicy.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The verdict history on SQLite, migrated from an empty file to V4. */
class SqlitePartnerHistoryTest extends PartnerHistoryContract {

    @TempDir
    Path dir;

    private int databases;

    @Override
    JdbcReportStore openEmpty() throws Exception {
        return JdbcReportStore.open(StoreLocation.sqlite(dir.resolve("state/reports-" + databases++ + ".sqlite")));
    }
}
