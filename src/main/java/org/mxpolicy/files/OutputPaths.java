package org.mxpolicy.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * Where a command's output goes ({@code -o}), checked before any work is done, so that a typo
 * neither makes a new directory tree nor costs a long run that cannot be written in the end.
 * Missing directories are made only when asked ({@code --mkdir}); every refusal says why.
 */
public final class OutputPaths {

    /** A file or directory that cannot be written where {@code -o} says (exit code 2). */
    public static final String NOT_WRITABLE = "output.not-writable";
    /** A directory {@code -o} needs is missing and {@code --mkdir} was not given (exit code 2). */
    public static final String NO_DIRECTORY = "output.no-directory";

    private OutputPaths() {}

    /**
     * Checks that {@code file} can be written as {@link AtomicFiles} writes it: a new file in its
     * directory, renamed over it. The directory is made when missing and {@code mkdir} is true.
     */
    public static void file(Path file, boolean mkdir) throws InvalidInputException {
        if (Files.isDirectory(file)) {
            throw refusal(file, "is a directory; give a file name");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw refusal(file, "not a regular file; the output is written as a new file and renamed over it");
        }
        Path dir = file.getParent() != null
                ? file.getParent()
                : file.toAbsolutePath().getParent();
        directory(dir, mkdir);
        try {
            Path probe = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw refusal(file, "cannot create a file in " + dir + " to write it (" + reason(e) + ")");
        }
    }

    /** Checks that {@code dir} is a directory, making it (and its parents) when missing and {@code mkdir} is true. */
    public static void directory(Path dir, boolean mkdir) throws InvalidInputException {
        Path absolute = dir.toAbsolutePath();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw refusal(existing, "not a directory");
        }
        if (existing != null && existing.equals(absolute)) {
            return;
        }
        if (!mkdir) {
            throw new InvalidInputException(
                    NO_DIRECTORY,
                    SourcePosition.file(dir.toString()),
                    "no such directory; create it first, or add --mkdir");
        }
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw refusal(dir, "cannot make the directory (" + reason(e) + ")");
        }
    }

    private static InvalidInputException refusal(Path path, String why) {
        return new InvalidInputException(NOT_WRITABLE, SourcePosition.file(path.toString()), why);
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "the file system there takes no new files";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
