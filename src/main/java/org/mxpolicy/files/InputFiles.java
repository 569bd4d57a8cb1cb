package org.mxpolicy.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/** Opens input files named on the command line, turning I/O failures into bad-input findings. */
public final class InputFiles {

    private InputFiles() {}

    /**
     * Reads a file, at most {@code limit}'s bytes: an endless or huge file ({@code /dev/zero}, the
     * wrong path) ends in one finding, never in running out of memory.
     */
    public static byte[] read(Path path, InputLimit limit) throws InvalidInputException {
        return read(path, null, limit);
    }

    /** Reads a file, at most {@code limit}'s bytes; "-" reads standard input. */
    public static byte[] read(Path path, InputStream stdin, InputLimit limit) throws InvalidInputException {
        if (stdin != null && path.toString().equals("-")) {
            return limit.read(stdin, "<stdin>");
        }
        if (Files.isDirectory(path)) {
            throw new InvalidInputException(
                    "input.unreadable", SourcePosition.file(path.toString()), "is a directory, not a file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return limit.read(in, path.toString());
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("input.unreadable", SourcePosition.file(path.toString()), "no such file");
        } catch (AccessDeniedException e) {
            throw new InvalidInputException(
                    "input.unreadable", SourcePosition.file(path.toString()), "permission denied");
        } catch (IOException e) {
            throw new InvalidInputException(
                    "input.unreadable", SourcePosition.file(path.toString()), "cannot read: " + e.getMessage());
        }
    }
}
