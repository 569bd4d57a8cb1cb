package org.mxpolicy.zone;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * The files a zone pulls in with {@code $INCLUDE}, walked before dnsjava's parser opens them. The
 * parser follows includes without limit: a zone that includes itself recurses until the stack
 * overflows, and {@code $INCLUDE /dev/zero} reads until the memory is full. The walk refuses
 * both, and files that are not regular files, with the including file's name and line.
 *
 * <p>Directives are found as the parser finds them: a line that starts with {@code $INCLUDE}
 * outside parentheses; quoted strings and comments are skipped. Paths resolve as the parser
 * resolves them: a relative one against the directory of the file that includes it (a zone read
 * from a stream has none; the parser refuses those itself).
 */
final class ZoneIncludes {

    private static final String DIRECTIVE = "$INCLUDE";

    private final InputLimit limit;
    /** The files being included, outermost first, as real paths and as named in messages. */
    private final List<Path> chain = new ArrayList<>();

    private final List<String> chainNames = new ArrayList<>();
    /** Included files by file name, which is all dnsjava's messages give; null when two share one. */
    private final Map<String, Path> byFileName = new HashMap<>();

    private long bytesRead;

    private ZoneIncludes(InputLimit limit) {
        this.limit = limit;
    }

    /**
     * Walks every include of {@code zone}, reading each included file at most once per inclusion
     * and all of them together up to the limit.
     *
     * @param source the zone's name in messages; when it names a file, that file including itself
     *     is a loop from the first step
     * @throws InvalidInputException an include loop, an included file that is missing, unreadable
     *     or not a regular file, or the zone and its included files over {@code limit}
     */
    static ZoneIncludes walk(byte[] zone, String source, InputLimit limit) throws InvalidInputException {
        ZoneIncludes walk = new ZoneIncludes(limit);
        walk.bytesRead = zone.length;
        walk.enter(realPath(source), source);
        walk.scan(zone, source, null);
        return walk;
    }

    /** The included file that dnsjava names by {@code fileName} in a message, if only one has that name. */
    Optional<Path> includedFile(String fileName) {
        return Optional.ofNullable(byFileName.get(fileName));
    }

    private void scan(byte[] bytes, String source, Path dir) throws InvalidInputException {
        // ISO-8859-1 maps byte to char one to one, as dnsjava's tokenizer reads
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int n = text.length();
        int depth = 0;
        int line = 1;
        int i = 0;
        while (i < n) {
            if (depth == 0 && text.charAt(i) == '$') {
                int end = tokenEnd(text, i);
                if (text.substring(i, end).equalsIgnoreCase(DIRECTIVE)) {
                    String name = fileName(text, end);
                    if (!name.isEmpty()) {
                        include(name, SourcePosition.at(source, line, 0), dir);
                    }
                }
            }
            boolean quoted = false;
            while (i < n && text.charAt(i) != '\n') {
                char c = text.charAt(i);
                if (c == '\\' && i + 1 < n && text.charAt(i + 1) != '\n') {
                    i += 2;
                    continue;
                }
                if (quoted) {
                    quoted = c != '"';
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ';') {
                    while (i < n && text.charAt(i) != '\n') {
                        i++;
                    }
                    break;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth = Math.max(0, depth - 1);
                }
                i++;
            }
            i++;
            line++;
        }
    }

    private void include(String name, SourcePosition at, Path dir) throws InvalidInputException {
        Path path;
        try {
            path = Path.of(name);
        } catch (InvalidPathException e) {
            throw error(at, "zone.include", DIRECTIVE + " " + name + ": not a valid path");
        }
        if (!path.isAbsolute()) {
            if (dir == null) {
                return;
            }
            path = dir.resolve(path);
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw error(at, "zone.include", DIRECTIVE + " " + path + ": no such file");
        } catch (IOException e) {
            throw error(at, "zone.include", DIRECTIVE + " " + path + ": cannot read it");
        }
        int loopStart = chain.indexOf(real);
        if (loopStart >= 0) {
            List<String> loop = new ArrayList<>(chainNames.subList(loopStart, chainNames.size()));
            loop.add(path.toString());
            throw error(
                    at,
                    "zone.include-loop",
                    DIRECTIVE + " loop: " + String.join(" includes ", loop) + "; remove one of these $INCLUDE lines");
        }
        if (!Files.isRegularFile(real)) {
            throw error(
                    at,
                    "zone.include",
                    DIRECTIVE + " " + path + ": not a regular file; a device, pipe or directory cannot be included");
        }
        byte[] bytes = read(real, path, at);
        String fileName = path.getFileName().toString();
        if (byFileName.containsKey(fileName) && !path.equals(byFileName.get(fileName))) {
            byFileName.put(fileName, null);
        } else {
            byFileName.put(fileName, path);
        }
        enter(real, path.toString());
        scan(bytes, path.toString(), path.getParent());
        chain.remove(chain.size() - 1);
        chainNames.remove(chainNames.size() - 1);
    }

    /** The file, if it and everything read before stay within the limit; read no further. */
    private byte[] read(Path real, Path path, SourcePosition at) throws InvalidInputException {
        long room = limit.maxBytes() - bytesRead;
        byte[] bytes;
        try (InputStream in = Files.newInputStream(real)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, room + 1));
        } catch (IOException e) {
            throw error(at, "zone.include", DIRECTIVE + " " + path + ": cannot read it");
        }
        if (bytes.length > room) {
            throw error(
                    at,
                    limit.id(),
                    DIRECTIVE + " " + path + ": the zone and the files it includes are larger than " + limit.size()
                            + ", the limit for a " + limit.what());
        }
        bytesRead += bytes.length;
        return bytes;
    }

    private void enter(Path real, String name) {
        chain.add(real);
        chainNames.add(name);
    }

    /** The real path of the file a source names, or null (standard input, or not a path). */
    private static Path realPath(String source) {
        try {
            Path path = Path.of(source);
            return Files.isRegularFile(path) ? path.toRealPath() : null;
        } catch (InvalidPathException | IOException e) {
            return null;
        }
    }

    /** The path after {@code $INCLUDE}: a quoted string or a word. */
    private static String fileName(String text, int from) {
        int start = from;
        while (start < text.length() && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
            start++;
        }
        if (start < text.length() && text.charAt(start) == '"') {
            int close = start + 1;
            while (close < text.length() && text.charAt(close) != '"' && text.charAt(close) != '\n') {
                close++;
            }
            return text.substring(start + 1, close);
        }
        return text.substring(start, tokenEnd(text, start));
    }

    /** Where a word ends: at white space, a comment, a parenthesis or a quote, as the tokenizer splits. */
    private static int tokenEnd(String text, int from) {
        int i = from;
        while (i < text.length() && " \t\r\n;()\"".indexOf(text.charAt(i)) < 0) {
            i++;
        }
        return i;
    }

    private static InvalidInputException error(SourcePosition at, String id, String message) {
        return new InvalidInputException(id, at, message);
    }
}
