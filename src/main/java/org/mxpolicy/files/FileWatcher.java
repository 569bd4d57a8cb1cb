package org.mxpolicy.files;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches the files {@code serve} reads (the config, certificates and keys) and reports when
 * their content has changed, once per burst of changes.
 *
 * <p>It watches directories, not files: the directory that holds each name as the config gives
 * it (where certbot swaps the {@code live/} symlinks) and the directory of the file the name
 * finally resolves to (where a file may be rewritten in place). Only events about those names
 * count: other files in the same directories (a log file next to the config, say) may change all
 * the time. An event only wakes it; once no event came for the quiet period it compares content
 * digests ({@link FileDigests}, reading only files whose stamp changed) with those it last saw, and reports
 * the files that differ. It also compares every
 * {@code recheck} interval without any event, for file systems that send none (NFS, some
 * container mounts).
 */
public final class FileWatcher implements AutoCloseable {

    private final WatchService service;
    private final Consumer<Set<Path>> onChange;
    private final Duration recheck;
    private final Clock clock;
    private final QuietPeriod quiet;
    private final Map<Path, WatchKey> directories = new HashMap<>();
    /** The names in each watched directory whose events count. */
    private volatile Map<Path, Set<String>> relevant = Map.of();

    private final Thread thread;
    private FileDigests seen = FileDigests.of(Set.of());

    /**
     * @param onChange called on the watcher's thread with the files whose content changed
     * @param quiet how long no event must come before the contents are compared
     * @param recheck how often the contents are compared when no event comes at all
     */
    public FileWatcher(Consumer<Set<Path>> onChange, Duration quiet, Duration recheck, Clock clock) throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
        this.onChange = onChange;
        this.recheck = recheck;
        this.clock = clock;
        this.quiet = new QuietPeriod(quiet);
        this.thread = new Thread(this::run, "mxpolicy-file-watch");
        this.thread.setDaemon(true);
    }

    /**
     * Sets the files to watch. Files watched before keep the content last seen; new ones are read
     * now, so only later changes count.
     */
    public synchronized void watch(Collection<Path> files) {
        Set<Path> absolute = new LinkedHashSet<>();
        files.forEach(file -> absolute.add(file.toAbsolutePath().normalize()));
        seen = seen.keepingOrReading(absolute);
        register(absolute);
    }

    /** Starts the watching thread. */
    public void start() {
        thread.start();
    }

    @Override
    public void close() throws IOException {
        service.close();
        thread.interrupt();
    }

    private void run() {
        Instant lastCompare = clock.instant();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Instant now = clock.instant();
                Duration wait = quiet.remaining(now).orElse(Duration.between(now, lastCompare.plus(recheck)));
                WatchKey key = service.poll(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
                if (key != null) {
                    if (concernsWatchedNames(key)) {
                        quiet.changed(clock.instant());
                    }
                    key.reset();
                    continue;
                }
                now = clock.instant();
                boolean settled = quiet.due(now);
                if (settled || !now.isBefore(lastCompare.plus(recheck))) {
                    lastCompare = now;
                    compare();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            // close() was called
        }
    }

    /** Whether an event names a watched file (how it changed does not matter: the digests decide). */
    private boolean concernsWatchedNames(WatchKey key) {
        Set<String> names = relevant.getOrDefault((Path) key.watchable(), Set.of());
        boolean concerns = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            // OVERFLOW: events were lost, so any of ours may be among them
            concerns |=
                    event.kind() == StandardWatchEventKinds.OVERFLOW || names.contains(String.valueOf(event.context()));
        }
        return concerns;
    }

    private void compare() {
        Set<Path> changed;
        synchronized (this) {
            FileDigests now = seen.again(seen.digests().keySet());
            changed = now.changedSince(seen);
            // the new stamps too: a file touched without a change is not read again each time
            seen = now;
            if (changed.isEmpty()) {
                return;
            }
            // a symlink may point somewhere new now
            register(now.digests().keySet());
        }
        onChange.accept(changed);
    }

    /** Watches exactly the directories the files need, dropping those no longer needed. */
    private void register(Collection<Path> files) {
        Map<Path, Set<String>> names = new HashMap<>();
        for (Path file : files) {
            addParent(names, file);
            try {
                addParent(names, file.toRealPath());
            } catch (IOException missing) {
                // watched through its named directory until it exists
            }
        }
        relevant = Map.copyOf(names);
        Set<Path> wanted = names.keySet();
        directories.entrySet().removeIf(entry -> {
            if (!wanted.contains(entry.getKey())) {
                entry.getValue().cancel();
                return true;
            }
            return false;
        });
        for (Path dir : wanted) {
            if (!directories.containsKey(dir) && Files.isDirectory(dir)) {
                try {
                    directories.put(
                            dir,
                            dir.register(
                                    service,
                                    StandardWatchEventKinds.ENTRY_CREATE,
                                    StandardWatchEventKinds.ENTRY_DELETE,
                                    StandardWatchEventKinds.ENTRY_MODIFY));
                } catch (IOException e) {
                    // left to the periodic comparison
                }
            }
        }
    }

    private static void addParent(Map<Path, Set<String>> names, Path file) {
        Path parent = file.getParent();
        if (parent != null) {
            names.computeIfAbsent(parent, dir -> new java.util.HashSet<>())
                    .add(file.getFileName().toString());
        }
    }
}
