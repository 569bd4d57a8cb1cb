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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The content of a set of files at one moment, as SHA-256 digests (following symbolic links).
 * Comparing contents rather than modification times catches what certbot does on renewal: it
 * writes new files under {@code archive/} and points the {@code live/} symlinks at them, so the
 * name the config gives keeps its own (the link's) time while its content changes. It also
 * ignores a touch or a rewrite with the same bytes.
 *
 * <p>Each digest keeps the {@link FileStamp} its file had when it was read: {@link #again} reads
 * only the files whose stamp changed since, so a hoster's tens of thousands of certificate and
 * key files are not all read to find the one that was renewed.
 */
public record FileDigests(Map<Path, String> digests, Map<Path, FileStamp> stamps) {

    static final String MISSING = "missing";

    public FileDigests {
        digests = Map.copyOf(digests);
        stamps = Map.copyOf(stamps);
    }

    /** Digests without stamps: {@link #again} reads each of these files. */
    public FileDigests(Map<Path, String> digests) {
        this(digests, Map.of());
    }

    /** Reads every file now; a missing or unreadable file is recorded as such, not thrown. */
    public static FileDigests of(Collection<Path> files) {
        return new FileDigests(Map.of()).again(files);
    }

    /**
     * The digests of {@code files} now: a file whose stamp is the one it had when this was taken
     * keeps its digest unread, every other file is read.
     */
    public FileDigests again(Collection<Path> files) {
        Map<Path, String> now = new TreeMap<>();
        Map<Path, FileStamp> stamped = new HashMap<>();
        for (Path file : files) {
            // stamped before reading: a change while it is read is read again next time
            Optional<FileStamp> stamp = FileStamp.of(file);
            if (stamp.isPresent() && stamp.get().equals(stamps.get(file)) && digests.containsKey(file)) {
                now.put(file, digests.get(file));
            } else {
                now.put(file, digest(file));
            }
            stamp.ifPresent(s -> stamped.put(file, s));
        }
        return new FileDigests(now, stamped);
    }

    /**
     * These digests for the files of {@code files} that they have, as they were taken, and the
     * digests of the others read now; files not in {@code files} are dropped.
     */
    public FileDigests keepingOrReading(Collection<Path> files) {
        Map<Path, String> kept = new TreeMap<>();
        Map<Path, FileStamp> stamped = new HashMap<>();
        List<Path> fresh = new ArrayList<>();
        for (Path file : files) {
            if (digests.containsKey(file)) {
                kept.put(file, digests.get(file));
                Optional.ofNullable(stamps.get(file)).ifPresent(s -> stamped.put(file, s));
            } else {
                fresh.add(file);
            }
        }
        FileDigests read = of(fresh);
        kept.putAll(read.digests());
        stamped.putAll(read.stamps());
        return new FileDigests(kept, stamped);
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
