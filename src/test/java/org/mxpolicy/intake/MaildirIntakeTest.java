package org.mxpolicy.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.MemoryReportStore;
import org.mxpolicy.testing.ReportCorpus;
import org.mxpolicy.tlsrpt.ReportLimits;
import org.mxpolicy.tlsrpt.ReportStoreException;

class MaildirIntakeTest {

    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");

    @TempDir
    Path dir;

    private Path maildir;
    private Path processed;
    private final MemoryReportStore store = new MemoryReportStore();
    private final List<String> log = new ArrayList<>();

    @BeforeEach
    void maildir() throws Exception {
        maildir = dir.resolve("Maildir");
        processed = maildir.resolve(".Processed");
        for (String sub : List.of("tmp", "new", "cur")) {
            Files.createDirectories(maildir.resolve(sub));
        }
    }

    private MaildirIntake intake() {
        return new MaildirIntake(
                maildir,
                processed,
                new MailIntake(ReportLimits.defaults(), store, new Quarantine(dir.resolve("quarantine"), 1 << 20)));
    }

    private void deliver(String sub, String name, String corpusMail) throws Exception {
        Files.write(maildir.resolve(sub).resolve(name), ReportCorpus.bytes(corpusMail));
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void mailsInNewAndCurAreStoredAndMovedToTheProcessedFolder() throws Exception {
        deliver("new", "1700000001.M1P1.host", "google-shape.eml");
        deliver("cur", "1700000002.M2P2.host:2,S", "microsoft-shape.eml");

        MaildirIntake.Pass pass = intake().run(NOW, log::add);

        assertThat(pass).isEqualTo(new MaildirIntake.Pass(2, 2, 0, 0));
        assertThat(names(maildir.resolve("new"))).isEmpty();
        assertThat(names(maildir.resolve("cur"))).isEmpty();
        assertThat(names(processed.resolve("cur")))
                .containsExactly("1700000001.M1P1.host:2,S", "1700000002.M2P2.host:2,S");
        assertThat(log).isEmpty();
    }

    @Test
    void aBadMailIsQuarantinedAndLeavesTheMaildir() throws Exception {
        deliver("new", "1700000003.M3P3.host", "bad-gzip-bomb.eml");

        MaildirIntake.Pass pass = intake().run(NOW, log::add);

        assertThat(pass).isEqualTo(new MaildirIntake.Pass(1, 0, 0, 1));
        assertThat(names(maildir.resolve("new"))).isEmpty();
        assertThat(names(processed.resolve("cur"))).isEmpty();
        assertThat(names(dir.resolve("quarantine"))).hasSize(2);
        assertThat(log.get(0))
                .startsWith("1700000003.M3P3.host: bomb!example.com!1!2.json.gz: decompresses to more than");
    }

    @Test
    void aCrashBetweenTheStoreAndTheMoveCountsTheReportOnce() throws Exception {
        deliver("new", "1700000004.M4P4.host", "google-shape.eml");
        // the crash: the report was committed, the mail not moved
        new MailIntake(ReportLimits.defaults(), store, new Quarantine(dir.resolve("quarantine"), 1 << 20))
                .ingest(ReportCorpus.bytes("google-shape.eml"), "before the crash", NOW);

        MaildirIntake.Pass pass = intake().run(NOW, log::add);

        assertThat(pass).isEqualTo(new MaildirIntake.Pass(1, 0, 1, 0));
        assertThat(store.reports).hasSize(1);
        assertThat(names(processed.resolve("cur"))).containsExactly("1700000004.M4P4.host:2,S");
    }

    @Test
    void anUnavailableStoreLeavesEveryMailWhereItIsForTheNextPass() throws Exception {
        deliver("new", "1700000005.M5P5.host", "google-shape.eml");
        store.failing = true;

        assertThatThrownBy(() -> intake().run(NOW, log::add)).isInstanceOf(ReportStoreException.class);
        assertThat(names(maildir.resolve("new"))).containsExactly("1700000005.M5P5.host");

        store.failing = false;
        assertThat(intake().run(NOW, log::add)).isEqualTo(new MaildirIntake.Pass(1, 1, 0, 0));
        assertThat(names(maildir.resolve("new"))).isEmpty();
    }

    @Test
    void aStoreThatFailsMidPassKeepsWhatWasDoneAndTheNextPassTakesTheRestOnce() throws Exception {
        deliver("new", "1700000006.M6P6.host", "google-shape.eml");
        deliver("new", "1700000007.M7P7.host", "microsoft-shape.eml");
        deliver("new", "1700000008.M8P8.host", "quirks-application-gzip.eml");
        store.failAfter = 1;

        assertThatThrownBy(() -> intake().run(NOW, log::add)).isInstanceOf(ReportStoreException.class);
        assertThat(names(processed.resolve("cur"))).containsExactly("1700000006.M6P6.host:2,S");
        assertThat(names(maildir.resolve("new"))).containsExactly("1700000007.M7P7.host", "1700000008.M8P8.host");

        store.failing = false;
        store.failAfter = -1;
        assertThat(intake().run(NOW, log::add)).isEqualTo(new MaildirIntake.Pass(2, 2, 0, 0));
        assertThat(store.reports).hasSize(3);
        assertThat(names(maildir.resolve("new"))).isEmpty();
    }

    @Test
    void aDirectoryThatIsNoMaildirIsRefused() {
        assertThatThrownBy(() -> new MaildirIntake(dir, processed, null).run(NOW, log::add))
                .hasMessageContaining("not a Maildir: no new/");
    }
}
