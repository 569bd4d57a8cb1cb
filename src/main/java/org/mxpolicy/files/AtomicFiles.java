package org.mxpolicy.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mxpolicy.finding.MxpolicyException;

/**
 * Writes output files so that readers (a DNS server reloading its zone, a cron job) never see a
 * half-written file: each goes to a temporary file in the target directory, is flushed to disk,
 * and is then renamed over the target. A set of files is written completely before the first
 * rename, so a failure leaves every target as it was.
 */
public final class AtomicFiles {

    /** rw-r--r--: zone fragments and policies are public data. */
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    /** rw-------: anything secret, created so from the first byte. */
    public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");

    private AtomicFiles() {}

    /** Outcome per target: whether it changed. */
    public enum Outcome {
        WRITTEN,
        UNCHANGED
    }

    /** Failure to write output; exit code 1. */
    public static final class WriteFailedException extends MxpolicyException {
        WriteFailedException(Path path, IOException cause) {
            super("cannot write " + path + ": " + describe(path, cause), cause);
        }

        @Override
        public int exitCode() {
            return 1;
        }
    }

    /**
     * Writes every file; files whose content is already identical are left untouched (their
     * modification time too, so "did anything change" stays cheap to answer).
     */
    public static Map<Path, Outcome> write(Map<Path, byte[]> files, Set<PosixFilePermission> permissions)
            throws WriteFailedException {
        Map<Path, Outcome> outcomes = new LinkedHashMap<>();
        Map<Path, Path> staged = new LinkedHashMap<>();
        try {
            List<Map.Entry<Path, byte[]>> changed = new ArrayList<>();
            for (Map.Entry<Path, byte[]> file : files.entrySet()) {
                if (unchanged(file.getKey(), file.getValue())) {
                    outcomes.put(file.getKey(), Outcome.UNCHANGED);
                } else {
                    changed.add(file);
                }
            }
            stageAll(changed, permissions, staged);
            for (Map.Entry<Path, Path> entry : staged.entrySet()) {
                move(entry.getValue(), entry.getKey());
                outcomes.put(entry.getKey(), Outcome.WRITTEN);
            }
            return outcomes;
        } finally {
            for (Path temp : staged.values()) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: a leftover temporary file is harmless and named as such
                }
            }
        }
    }

    /** From this many files on, they are staged by several threads. */
    private static final int STAGED_TOGETHER_FROM = 32;
    /**
     * Each staged file is synced to disk before any is renamed; the file system commits syncs
     * that wait at the same time together, so thousands of files are written in a fraction of
     * the time one after the other would take.
     */
    private static final int STAGING_THREADS = 16;

    /** Stages every file, into {@code staged} in their order; on failure what was staged is in it, to delete. */
    private static void stageAll(
            List<Map.Entry<Path, byte[]>> files, Set<PosixFilePermission> permissions, Map<Path, Path> staged)
            throws WriteFailedException {
        if (files.size() < STAGED_TOGETHER_FROM) {
            for (Map.Entry<Path, byte[]> file : files) {
                staged.put(file.getKey(), stage(file.getKey(), file.getValue(), permissions));
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(STAGING_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "mxpolicy-write");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Path>> temps = new ArrayList<>();
            for (Map.Entry<Path, byte[]> file : files) {
                temps.add(pool.submit(() -> stage(file.getKey(), file.getValue(), permissions)));
            }
            WriteFailedException failure = null;
            for (int i = 0; i < files.size(); i++) {
                try {
                    staged.put(files.get(i).getKey(), temps.get(i).get());
                } catch (ExecutionException e) {
                    if (failure == null && e.getCause() instanceof WriteFailedException w) {
                        failure = w;
                    } else if (failure == null) {
                        throw new IllegalStateException(
                                "staging " + files.get(i).getKey(), e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = new WriteFailedException(files.get(i).getKey(), new IOException("interrupted"));
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    public static Outcome write(Path target, byte[] content, Set<PosixFilePermission> permissions)
            throws WriteFailedException {
        return write(Map.of(target, content), permissions).get(target);
    }

    private static boolean unchanged(Path target, byte[] content) {
        try {
            return Files.isRegularFile(target)
                    && Files.size(target) == content.length
                    && Arrays.equals(Files.readAllBytes(target), content);
        } catch (IOException e) {
            return false;
        }
    }

    private static Path stage(Path target, byte[] content, Set<PosixFilePermission> permissions)
            throws WriteFailedException {
        Path dir = target.toAbsolutePath().getParent();
        try {
            // Commands check their -o first (OutputPaths: a missing directory only with --mkdir); the
            // directories made here are the program's own, such as a rollover state's per host.
            Files.createDirectories(dir);
            FileAttribute<?>[] attrs = posix(dir)
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                    : new FileAttribute<?>[0];
            Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", attrs);
            try (FileChannel channel =
                    FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (posix(dir)) {
                // createTempFile's attribute is filtered by the umask; set the exact mode.
                Files.setPosixFilePermissions(temp, permissions);
            }
            return temp;
        } catch (IOException e) {
            throw new WriteFailedException(target, e);
        }
    }

    private static void move(Path temp, Path target) throws WriteFailedException {
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new WriteFailedException(target, e);
        }
    }

    private static boolean posix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static String describe(Path path, IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way: " + e.getMessage();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            Path dir = path.toAbsolutePath().getParent();
            return Files.isDirectory(dir)
                    ? "cannot create a file in " + dir + " (the file system there takes no new files)"
                    : "no such directory: " + dir;
        }
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** For tests: the temporary files left in a directory (there should be none). */
    public static List<Path> leftovers(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (var stream = Files.list(dir)) {
            stream.filter(p -> p.getFileName().toString().endsWith(".tmp")).forEach(out::add);
        }
        return out;
    }
}
