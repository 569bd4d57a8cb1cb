package org.mxpolicy.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/** Opens input files named on the command line, turning I/O failures into bad-input findings. */
public final class InputFiles {

    private InputFiles() {}

    public static byte[] read(Path path) throws InvalidInputException {
        return read(path, null);
    }

    /** Reads a file; "-" reads standard input. */
    public static byte[] read(Path path, InputStream stdin) throws InvalidInputException {
        if (stdin != null && path.toString().equals("-")) {
            try {
                return stdin.readAllBytes();
            } catch (IOException e) {
                throw new InvalidInputException("input.unreadable", SourcePosition.file("<stdin>"), "cannot read standard input: " + e.getMessage());
            }
        }
        try {
            if (Files.isDirectory(path)) {
                throw new InvalidInputException("input.unreadable", SourcePosition.file(path.toString()), "is a directory, not a file");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("input.unreadable", SourcePosition.file(path.toString()), "no such file");
        } catch (AccessDeniedException e) {
            throw new InvalidInputException("input.unreadable", SourcePosition.file(path.toString()), "permission denied");
        } catch (IOException e) {
            throw new InvalidInputException("input.unreadable", SourcePosition.file(path.toString()), "cannot read: " + e.getMessage());
        }
    }
}
