package org.mxpolicy.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher on a real directory tree laid out as certbot keeps it. */
class FileWatcherTest {

    /** Generous: the test waits only as long as it takes, this is the bound for a broken watcher. */
    private static final long BOUND_SECONDS = 30;

    @Test
    void digestsTellChangedMissingAndUnchangedFilesApart(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a"), "one");
        Path b = Files.writeString(dir.resolve("b"), "two");
        FileDigests before = FileDigests.of(List.of(a, b, dir.resolve("c")));
        assertThat(before.digests().get(dir.resolve("c"))).isEqualTo(FileDigests.MISSING);

        Files.writeString(a, "one"); // rewritten, same bytes
        Files.writeString(b, "three");
        Files.writeString(dir.resolve("c"), "new");
        assertThat(FileDigests.of(List.of(a, b, dir.resolve("c"))).changedSince(before))
                .containsExactly(b, dir.resolve("c"));
    }

    @Test
    void digestsAgainReadOnlyTheFilesWhoseStampChanged(@TempDir Path dir) throws Exception {
        Path kept = Files.writeString(dir.resolve("kept"), "one");
        Path rewritten = Files.writeString(dir.resolve("rewritten"), "two");
        // digests that reading could never give: one that is still there was not read again
        FileDigests earlier = new FileDigests(
                java.util.Map.of(kept, "as-read-before", rewritten, "as-read-before"),
                java.util.Map.of(
                        kept,
                        FileStamp.of(kept).orElseThrow(),
                        rewritten,
                        FileStamp.of(rewritten).orElseThrow()));

        Files.writeString(rewritten, "tww"); // same size, other bytes
        FileDigests now = earlier.again(List.of(kept, rewritten));

        assertThat(now.digests().get(kept)).isEqualTo("as-read-before");
        assertThat(now.digests().get(rewritten))
                .isEqualTo(FileDigests.of(List.of(rewritten)).digests().get(rewritten));
        assertThat(now.changedSince(earlier)).containsExactly(rewritten);
    }

    @Test
    void watchingAgainKeepsWhatWasSeenOfKnownFilesAndReadsNewOnes(@TempDir Path dir) throws Exception {
        Path known = Files.writeString(dir.resolve("known"), "one");
        Path added = Files.writeString(dir.resolve("added"), "two");
        FileDigests earlier = new FileDigests(java.util.Map.of(known, "as-seen", dir.resolve("gone"), "x"));

        FileDigests now = earlier.keepingOrReading(List.of(known, added));

        assertThat(now.digests())
                .containsEntry(known, "as-seen")
                .containsEntry(added, FileDigests.of(List.of(added)).digests().get(added))
                .doesNotContainKey(dir.resolve("gone"));
    }

    @Test
    void aCertbotStyleRenewalIsReportedOnceWithTheChangedNames(@TempDir Path dir) throws Exception {
        Path archive = Files.createDirectories(dir.resolve("archive/host"));
        Path live = Files.createDirectories(dir.resolve("live/host"));
        Files.writeString(archive.resolve("fullchain1.pem"), "cert 1");
        Files.writeString(archive.resolve("privkey1.pem"), "key 1");
        Path cert =
                Files.createSymbolicLink(live.resolve("fullchain.pem"), Path.of("../../archive/host/fullchain1.pem"));
        Path key = Files.createSymbolicLink(live.resolve("privkey.pem"), Path.of("../../archive/host/privkey1.pem"));
        Path config = Files.writeString(dir.resolve("provider.yaml"), "config");

        BlockingQueue<Set<Path>> reports = new LinkedBlockingQueue<>();
        try (FileWatcher watcher =
                new FileWatcher(reports::add, Duration.ofMillis(300), Duration.ofHours(1), Clock.systemUTC())) {
            watcher.watch(List.of(config, cert, key));
            watcher.start();

            Files.writeString(archive.resolve("fullchain2.pem"), "cert 2");
            Files.writeString(archive.resolve("privkey2.pem"), "key 2");
            swapLink(cert, Path.of("../../archive/host/fullchain2.pem"));
            swapLink(key, Path.of("../../archive/host/privkey2.pem"));

            Set<Path> changed = reports.poll(BOUND_SECONDS, TimeUnit.SECONDS);
            assertThat(changed)
                    .as("no change reported within %d s", BOUND_SECONDS)
                    .isNotNull();
            // both swaps may land in one burst or in two; together they name exactly the two links
            Set<Path> all = new java.util.TreeSet<>(changed);
            if (all.size() < 2) {
                Set<Path> more = reports.poll(BOUND_SECONDS, TimeUnit.SECONDS);
                assertThat(more).isNotNull();
                all.addAll(more);
            }
            assertThat(all).containsExactlyInAnyOrder(cert.toAbsolutePath(), key.toAbsolutePath());

            // a file rewritten in place behind the link is seen through the target's directory
            Files.writeString(archive.resolve("privkey2.pem"), "key 2, rewritten");
            assertThat(reports.poll(BOUND_SECONDS, TimeUnit.SECONDS)).containsExactly(key.toAbsolutePath());

            // touching with the same content reports nothing; the next real change names only its file
            Files.writeString(config, "config");
            Files.writeString(config, "config, edited");
            assertThat(reports.poll(BOUND_SECONDS, TimeUnit.SECONDS)).containsExactly(config.toAbsolutePath());
        }
    }

    /** What certbot does: a new link under a temporary name, renamed over the old one. */
    private static void swapLink(Path link, Path target) throws Exception {
        Path temporary = link.resolveSibling(link.getFileName() + ".new");
        Files.createSymbolicLink(temporary, target);
        Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aBusyNeighbourFileDoesNotHoldBackTheReport(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("provider.yaml"), "config");
        Path log = dir.resolve("serve.log");
        BlockingQueue<Set<Path>> reports = new LinkedBlockingQueue<>();
        java.util.concurrent.atomic.AtomicBoolean logging = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread logger = new Thread(() -> {
            try {
                while (logging.get()) {
                    Files.writeString(log, "a request\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    Thread.sleep(10);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (FileWatcher watcher =
                new FileWatcher(reports::add, Duration.ofMillis(300), Duration.ofHours(1), Clock.systemUTC())) {
            watcher.watch(List.of(config));
            watcher.start();
            logger.start();
            Files.writeString(config, "config, edited");
            assertThat(reports.poll(BOUND_SECONDS, TimeUnit.SECONDS))
                    .as("report while the log keeps growing")
                    .containsExactly(config.toAbsolutePath());
        } finally {
            logging.set(false);
            logger.join();
        }
    }

    @Test
    void aFileThatIsNotThereYetIsReportedWhenItAppears(@TempDir Path dir) throws Exception {
        Path later = dir.resolve("privkey.pem");
        BlockingQueue<Set<Path>> reports = new LinkedBlockingQueue<>();
        try (FileWatcher watcher =
                new FileWatcher(reports::add, Duration.ofMillis(100), Duration.ofHours(1), Clock.systemUTC())) {
            watcher.watch(List.of(later));
            watcher.start();
            Files.writeString(later, "key", StandardCharsets.US_ASCII);
            assertThat(reports.poll(BOUND_SECONDS, TimeUnit.SECONDS)).containsExactly(later.toAbsolutePath());
        }
    }
}
