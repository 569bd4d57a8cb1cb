package org.mxpolicy.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.mxpolicy.config.ConfigIncludes;
import org.mxpolicy.config.ConfigLoader;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * The files of an {@code include} pattern such as {@code conf.d/*.yaml}: the pattern's last part
 * may hold wildcards, its directory is relative to the config's. Included files are trusted as
 * much as the config, so the directory and each file must be owned by the user running mxpolicy
 * (or root) and not writable by group or others.
 */
final class ConfigIncludeFiles implements ConfigIncludes {

    static final String ID = "config.include";
    /** Everything included at most, together: room for tens of thousands of one-domain files. */
    static final InputLimit TOTAL = new InputLimit("set of included config files", "config.size", 256 * 1024 * 1024);

    private final Path baseDir;
    private final AtomicLong total = new AtomicLong();

    ConfigIncludeFiles(Path baseDir) {
        this.baseDir = baseDir;
    }

    @Override
    public List<Included> resolve(String pattern, SourcePosition at) throws InvalidInputException {
        Path written = Path.of(pattern);
        Path name = written.getFileName();
        Path parent = written.getParent();
        if (name == null || (parent != null && hasWildcard(parent.toString()))) {
            throw new InvalidInputException(
                    ID, at, "'include' takes wildcards in the file name only, as in 'conf.d/*.yaml', not " + pattern);
        }
        Path dir = parent == null ? baseDir : baseDir.resolve(parent);
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(ID, at, "cannot include " + pattern + ": no directory " + dir);
        }
        OwnedPaths.requireDirectory(dir, ID, "755", OwnedPaths.Links.FOLLOW);
        PathMatcher matcher = dir.getFileSystem().getPathMatcher("glob:" + name);
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (matcher.matches(entry.getFileName()) && Files.isRegularFile(entry)) {
                    files.add(entry);
                }
            }
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(ID, at, "cannot include " + pattern + ": no directory " + dir);
        } catch (IOException e) {
            throw new InvalidInputException(ID, at, "cannot list " + dir + ": " + e.getMessage());
        }
        files.sort(null);
        // Thousands of one-domain files: checked and read on every core, taken in name order.
        List<Read> read = files.parallelStream().map(file -> read(file, at)).toList();
        List<Included> included = new ArrayList<>();
        for (Read file : read) {
            if (file.problem() != null) {
                throw file.problem();
            }
            included.add(file.included());
        }
        return included;
    }

    /** One file's text, or why it cannot be included. */
    private record Read(Included included, InvalidInputException problem) {}

    private Read read(Path file, SourcePosition at) {
        try {
            OwnedPaths.requireFile(file, ID, OwnedPaths.Links.FOLLOW);
            byte[] bytes = InputFiles.read(file, ConfigLoader.SIZE_LIMIT);
            if (total.addAndGet(bytes.length) > TOTAL.maxBytes()) {
                throw new InvalidInputException(
                        TOTAL.id(), at, "the files 'include' names are larger than " + TOTAL.size() + " together");
            }
            return new Read(new Included(file.toString(), utf8(bytes, file)), null);
        } catch (InvalidInputException e) {
            return new Read(null, e);
        }
    }

    private static boolean hasWildcard(String text) {
        return text.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    private static String utf8(byte[] bytes, Path file) throws InvalidInputException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("config.encoding", SourcePosition.file(file.toString()), "not UTF-8 text");
        }
    }
}
