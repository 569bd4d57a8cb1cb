package org.mxpolicy.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * The trust check for directories and files whose content decides what mxpolicy signs or
 * publishes (DNSSEC key directories, the rollover state): each must be owned by the user running
 * mxpolicy (or by root, who could change it anyway) and writable by nobody else, as OpenSSH's
 * {@code StrictModes} demands of {@code ~/.ssh}. Otherwise another local user could put a key or a
 * state there and have it published or used for signing.
 */
public final class OwnedPaths {

    private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    private static final Set<PosixFilePermission> OPEN_TO_OTHERS = Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);
    private static final int ROOT = 0;

    private OwnedPaths() {}

    /** How a path is looked at: through a symbolic link, or refusing one. */
    public enum Links {
        FOLLOW,
        REFUSE
    }

    /**
     * Refuses a directory owned by another user or writable by group or others.
     *
     * @param id the finding id of a refusal
     * @param fixMode the mode the fix sets, e.g. {@code 700}
     */
    public static void requireDirectory(Path dir, String id, String fixMode, Links links) throws InvalidInputException {
        check(dir, id, links, WRITABLE_BY_OTHERS, "chmod " + fixMode, "writable by group or others");
    }

    /** Refuses a file owned by another user or writable by group or others. */
    public static void requireFile(Path file, String id, Links links) throws InvalidInputException {
        check(file, id, links, WRITABLE_BY_OTHERS, "chmod go-w", "writable by group or others");
    }

    /** Refuses a secret file owned by another user or readable or writable by group or others. */
    public static void requireSecretFile(Path file, String id, Links links) throws InvalidInputException {
        check(file, id, links, OPEN_TO_OTHERS, "chmod 600", "readable or writable by group or others");
    }

    private static void check(
            Path path, String id, Links links, Set<PosixFilePermission> forbidden, String chmod, String open)
            throws InvalidInputException {
        SourcePosition where = SourcePosition.file(path.toString());
        LinkOption[] options = links == Links.REFUSE ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        if (links == Links.REFUSE && Files.isSymbolicLink(path)) {
            throw new InvalidInputException(
                    id,
                    where,
                    "is a symbolic link, which mxpolicy does not follow here; replace it with the file itself");
        }
        int owner;
        int me;
        Set<PosixFilePermission> permissions;
        try {
            if (!path.getFileSystem().supportedFileAttributeViews().contains("unix")) {
                throw new InvalidInputException(
                        id, where, "the file system has no POSIX owners and permissions; use a POSIX file system");
            }
            owner = (Integer) Files.getAttribute(path, "unix:uid", options);
            me = effectiveUid();
            permissions = Files.getPosixFilePermissions(path, options);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(id, where, "no such file or directory");
        } catch (IOException e) {
            throw new InvalidInputException(id, where, "cannot read its owner and permissions: " + e.getMessage());
        }
        String quoted = KeyDirectory.shellQuote(path.toString());
        if (owner != me && owner != ROOT) {
            throw new InvalidInputException(
                    id,
                    where,
                    "is owned by uid " + owner + ", not by the user running mxpolicy (uid " + me
                            + "), who could change it; check its content, then run: chown " + me + " " + quoted);
        }
        if (permissions.stream().anyMatch(forbidden::contains)) {
            throw new InvalidInputException(id, where, "is " + open + "; run: " + chmod + " " + quoted);
        }
    }

    /**
     * The effective uid of this process: the owner of {@code /proc/self} on Linux, else the owner of
     * a file this process creates.
     */
    private static int effectiveUid() throws IOException {
        Path self = Path.of("/proc/self");
        if (Files.isDirectory(self)) {
            return (Integer) Files.getAttribute(self, "unix:uid");
        }
        Path probe = Files.createTempFile("mxpolicy-uid", ".tmp");
        try {
            return (Integer) Files.getAttribute(probe, "unix:uid");
        } finally {
            Files.delete(probe);
        }
    }
}
