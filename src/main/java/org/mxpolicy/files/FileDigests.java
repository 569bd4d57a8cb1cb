package org.mxpolicy.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content of a set of files at one moment, as SHA-256 digests (following symbolic links).
 * Comparing contents rather than modification times catches what certbot does on renewal: it
 * writes new files under {@code archive/} and points the {@code live/} symlinks at them, so the
 * name the config gives keeps its own (the link's) time while its content changes. It also
 * ignores a touch or a rewrite with the same bytes.
 */
public record FileDigests(Map<Path, String> digests) {

    static final String MISSING = "missing";

    public FileDigests {
        digests = Map.copyOf(digests);
    }

    /** Reads every file now; a missing or unreadable file is recorded as such, not thrown. */
    public static FileDigests of(Collection<Path> files) {
        Map<Path, String> digests = new TreeMap<>();
        for (Path file : files) {
            digests.put(file, digest(file));
        }
        return new FileDigests(digests);
    }

    /** The files whose content differs from {@code earlier} (or that only one of the two has). */
    public java.util.Set<Path> changedSince(FileDigests earlier) {
        java.util.Set<Path> changed = new java.util.TreeSet<>();
        digests.forEach((file, digest) -> {
            if (!digest.equals(earlier.digests.get(file))) {
                changed.add(file);
            }
        });
        earlier.digests.keySet().stream()
                .filter(file -> !digests.containsKey(file))
                .forEach(changed::add);
        return changed;
    }

    private static String digest(Path file) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            // Streamed: a watched file is hashed at every recheck, and need not be held in memory for it.
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha256)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchFileException e) {
            return MISSING;
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
