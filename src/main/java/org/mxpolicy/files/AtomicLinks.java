package org.mxpolicy.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Re-points symbolic links so that a reader never finds the link missing: a new link is made
 * under a temporary name beside the old one and renamed over it. rename(2) replaces the target
 * in one step (POSIX), so {@code open} through the link sees the old file or the new one.
 */
public final class AtomicLinks {

    private AtomicLinks() {}

    /**
     * Points {@code link} at {@code target} (stored as given, so a relative target stays
     * relative), then syncs the directory so the new link survives a power loss.
     */
    public static void replace(Path link, Path target) throws IOException {
        Path temp = link.resolveSibling("." + link.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.createSymbolicLink(temp, target);
        try {
            Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(link.toAbsolutePath().getParent());
    }

    /** Best effort: a directory that cannot be synced still holds the renamed entry. */
    public static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems refuse fsync on directories; the rename is done either way
        }
    }
}
