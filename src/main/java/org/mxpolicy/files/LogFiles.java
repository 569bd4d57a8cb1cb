package org.mxpolicy.files;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * Mail logs named on the command line: current, rotated ({@code mail.log.1}) and compressed by
 * logrotate ({@code mail.log.2.gz}, told by gzip's magic bytes, not the name), streamed, never read
 * into memory whole. Bytes that are not UTF-8 become U+FFFD rather than an error: a log is
 * whatever programs wrote into it.
 */
public final class LogFiles {

    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private LogFiles() {}

    /** A log file and when it was last changed. */
    public record LogFile(Path path, FileTime modified) {

        /** The year (UTC) of its last change: the year its last line was written in. */
        public int modifiedYear() {
            return modified.toInstant().atZone(ZoneOffset.UTC).getYear();
        }

        /** Its text from the beginning, decompressed when it is gzip. */
        public Reader open() throws IOException {
            InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
            try {
                in.mark(2);
                int first = in.read();
                int second = in.read();
                in.reset();
                if (first == GZIP_MAGIC_1 && second == GZIP_MAGIC_2) {
                    in = new GZIPInputStream(in, 1 << 16);
                }
            } catch (IOException e) {
                in.close();
                throw e;
            }
            return new InputStreamReader(
                    in,
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPLACE)
                            .onUnmappableCharacter(CodingErrorAction.REPLACE));
        }
    }

    /**
     * The files, checked to be readable regular files, oldest first by modification time, as
     * rotation leaves them ({@code mail.log.2.gz}, {@code mail.log.1}, {@code mail.log}), so that
     * a connection logged at the end of one file meets its deliveries in the next.
     */
    public static List<LogFile> oldestFirst(List<Path> paths) throws InvalidInputException {
        List<LogFile> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                throw unreadable(path, "is a directory, not a file");
            }
            try (InputStream probe = Files.newInputStream(path)) {
                files.add(new LogFile(path, Files.getLastModifiedTime(path)));
            } catch (NoSuchFileException e) {
                throw unreadable(path, "no such file");
            } catch (AccessDeniedException e) {
                throw unreadable(path, "permission denied");
            } catch (IOException e) {
                throw unreadable(path, "cannot read: " + e.getMessage());
            }
        }
        files.sort(Comparator.comparing(LogFile::modified));
        return files;
    }

    private static InvalidInputException unreadable(Path path, String why) {
        return new InvalidInputException("input.unreadable", SourcePosition.file(path.toString()), why);
    }
}
