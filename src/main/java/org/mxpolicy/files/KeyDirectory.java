package org.mxpolicy.files;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mxpolicy.dnssec.DelegationSigner;
import org.mxpolicy.dnssec.KeyFiles;
import org.mxpolicy.dnssec.KeyTiming;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.SourcePosition;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * A directory of DNSSEC key files as BIND and ldns keep them ({@code -K DIR}): for each key
 * {@code K<zone>+<alg>+<tag>.key} and, where the private key is kept here,
 * {@code K<zone>+<alg>+<tag>.private}. Zone names in file names match case-insensitively.
 *
 * <p>A {@code .private} file that group or others may read is refused before it is read: a
 * private key that others can read is no longer private. The directory and every key file must
 * belong to the user running mxpolicy and be writable by nobody else ({@link OwnedPaths}): a key
 * another user put there would be published in the DNSKEY set and could sign every record.
 */
public final class KeyDirectory {

    /** {@code K<zone>+<alg>+<tag>.key}; the zone ends with its dot ({@code K.+008+...} for the root). */
    private static final Pattern KEY_FILE = Pattern.compile("K(.+)\\+(\\d{3})\\+(\\d{5})\\.key");

    private static final Set<PosixFilePermission> READABLE_BY_OTHERS = Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);

    private final Path dir;

    public KeyDirectory(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Every key of {@code zone} in the directory, with its private key where a {@code .private}
     * file is present (public only otherwise, as BIND's {@code dnssec-signzone -S} publishes a
     * key it cannot sign with). Ordered by algorithm, then key tag.
     *
     * @throws InvalidInputException listing every key file that cannot be used: unreadable,
     *     malformed, mismatched, or a {@code .private} file readable by group or others
     */
    public List<ZoneKey> load(Name zone) throws InvalidInputException {
        return load(zone, true);
    }

    /** Every key of {@code zone}, from the {@code .key} files only (the {@code .private} files are not opened). */
    public List<ZoneKey> loadPublic(Name zone) throws InvalidInputException {
        return load(zone, false);
    }

    private List<ZoneKey> load(Name zone, boolean withPrivate) throws InvalidInputException {
        List<ZoneKey> keys = new ArrayList<>();
        List<Finding> problems = new ArrayList<>();
        for (Path keyFile : keyFiles(zone)) {
            try {
                keys.add(loadKey(keyFile, withPrivate));
            } catch (InvalidInputException e) {
                problems.addAll(e.findings());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return keys.stream().sorted(DelegationSigner.KEY_ORDER).toList();
    }

    /** The {@code .key} files of {@code zone}, sorted by name. */
    public List<Path> keyFiles(Name zone) throws InvalidInputException {
        requireDirectory();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p ->
                            zoneOf(p.getFileName().toString()).map(zone::equals).orElse(false))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new InvalidInputException(
                    "key.directory",
                    SourcePosition.file(dir.toString()),
                    "cannot list the key directory: " + e.getMessage());
        }
    }

    private static java.util.Optional<Name> zoneOf(String fileName) {
        Matcher m = KEY_FILE.matcher(fileName);
        if (!m.matches()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Name.fromString(m.group(1), Name.root));
        } catch (TextParseException e) {
            return java.util.Optional.empty();
        }
    }

    /** Loads one key by its {@code .key} file and, if asked and present, its {@code .private} file. */
    public ZoneKey loadKey(Path keyFile, boolean withPrivate) throws InvalidInputException {
        String text = new String(InputFiles.read(keyFile, KeyFiles.SIZE_LIMIT), StandardCharsets.UTF_8);
        ZoneKey key = KeyFiles.readPublicKey(new StringReader(text), keyFile.toString());
        String expected = key.baseName() + ".key";
        if (!keyFile.getFileName().toString().toLowerCase(Locale.ROOT).equals(expected.toLowerCase(Locale.ROOT))) {
            throw new InvalidInputException(
                    "key.file-name",
                    SourcePosition.file(keyFile.toString()),
                    "holds the key " + key.baseName()
                            + " (zone, algorithm and key tag), which does not fit the file name;"
                            + " rename the file to " + expected + " or replace it");
        }
        // another user's key in the directory would be published in the DNSKEY set, and could sign
        OwnedPaths.requireFile(keyFile, "key.file-trust", OwnedPaths.Links.FOLLOW);
        Path privateFile = privateFileOf(keyFile);
        if (!withPrivate || !Files.exists(privateFile)) {
            return key;
        }
        checkPermissions(privateFile);
        OwnedPaths.requireSecretFile(privateFile, "key.private-trust", OwnedPaths.Links.FOLLOW);
        byte[] bytes = InputFiles.read(privateFile, KeyFiles.SIZE_LIMIT);
        try {
            return KeyFiles.readPrivateKey(
                    key, new StringReader(new String(bytes, StandardCharsets.UTF_8)), privateFile.toString());
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static Path privateFileOf(Path keyFile) {
        String name = keyFile.getFileName().toString();
        return keyFile.resolveSibling(name.substring(0, name.length() - ".key".length()) + ".private");
    }

    /** Refuses a private key file that group or others may read or write (POSIX file systems only). */
    public static void checkPermissions(Path privateFile) throws InvalidInputException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(privateFile);
        } catch (UnsupportedOperationException e) {
            return;
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(
                    "input.unreadable", SourcePosition.file(privateFile.toString()), "no such file");
        } catch (IOException e) {
            throw new InvalidInputException(
                    "input.unreadable",
                    SourcePosition.file(privateFile.toString()),
                    "cannot read its permissions: " + e.getMessage());
        }
        if (permissions.stream().anyMatch(READABLE_BY_OTHERS::contains)) {
            boolean readable = permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ);
            throw new InvalidInputException(
                    "key.private-permissions",
                    SourcePosition.file(privateFile.toString()),
                    privateFile.getFileName() + " is " + (readable ? "readable" : "writable")
                            + " by group or others; run: chmod 600 " + shellQuote(privateFile.toString()));
        }
    }

    /** A zone name given with {@code --zone}, absolute and in lower case; a trailing dot is optional. */
    public static Name zoneName(String text) throws InvalidInputException {
        try {
            if (text.isBlank() || text.contains("..")) {
                throw new TextParseException(text);
            }
            return Name.fromString(text.strip(), Name.root).canonicalize();
        } catch (TextParseException e) {
            throw new InvalidInputException("key.zone", null, "--zone '" + text + "' is not a valid zone name");
        }
    }

    public static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private void requireDirectory() throws InvalidInputException {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(
                    "key.directory",
                    SourcePosition.file(dir.toString()),
                    Files.exists(dir)
                            ? "is not a directory"
                            : "no such directory; create it first: mkdir -m 700 " + shellQuote(dir.toString()));
        }
        OwnedPaths.requireDirectory(dir, "key.directory-trust", "700", OwnedPaths.Links.FOLLOW);
    }

    /** Whether a key with this base name has a file here already. */
    public boolean exists(ZoneKey key) {
        return Files.exists(dir.resolve(key.baseName() + ".key"))
                || Files.exists(dir.resolve(key.baseName() + ".private"));
    }

    /**
     * Writes a new key's {@code .private} file (mode 0600 from its first byte) and {@code .key}
     * file (0644). Never replaces a key file: a key with the same base name (zone, algorithm
     * and key tag) is refused.
     *
     * @param created the time recorded as the key's Created, Publish and Activate
     * @return the path of the {@code .key} file
     */
    public Path write(ZoneKey key, Instant created) throws MxpolicyException {
        return write(key.withTiming(KeyTiming.createdAt(created)));
    }

    /**
     * Writes a new key's files as {@link #write(ZoneKey, Instant)} does, with the key's own
     * timing (Created, Publish, Activate, Inactive, Delete as BIND writes them).
     */
    public Path write(ZoneKey key) throws MxpolicyException {
        requireDirectory();
        Path keyFile = dir.resolve(key.baseName() + ".key");
        Path privateFile = dir.resolve(key.baseName() + ".private");
        if (exists(key)) {
            throw new InvalidInputException(
                    "key.exists",
                    SourcePosition.file(keyFile.toString()),
                    "a key with the same zone, algorithm and key tag (" + key.keyTag() + ") is already in " + dir
                            + "; key files are never replaced");
        }
        byte[] secret = KeyFiles.privateKeyText(key).getBytes(StandardCharsets.US_ASCII);
        try {
            AtomicFiles.write(privateFile, secret, AtomicFiles.PRIVATE);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        try {
            AtomicFiles.write(
                    keyFile, KeyFiles.publicKeyText(key).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC);
        } catch (MxpolicyException e) {
            try {
                Files.deleteIfExists(privateFile);
            } catch (IOException ignored) {
                // the write failure is the message; a private key file without its .key is inert
            }
            throw e;
        }
        return keyFile;
    }

    /**
     * Replaces the timing of a key whose files are here with {@code key}'s: the {@code .private}
     * file first (mode 0600; its timing is what signing reads), then the {@code .key} file, each
     * replaced atomically. A crash between the two leaves the {@code .private} file's timing in
     * force and {@link #settleTiming} puts the {@code .key} file right.
     */
    /**
     * Rewrites the {@code .key} file of each key of {@code zone} whose {@code .private} file holds
     * other timing, as a crash inside {@link #retime} leaves it: signing goes by the
     * {@code .private} file, while {@code check} and other tools read the {@code .key} file.
     *
     * @return the base names of the keys put right
     */
    public List<String> settleTiming(Name zone) throws MxpolicyException {
        List<ZoneKey> published = loadPublic(zone);
        List<String> settled = new ArrayList<>();
        for (ZoneKey key : load(zone)) {
            if (key.privateKey().isEmpty()) {
                continue;
            }
            boolean differs = published.stream()
                    .filter(p -> p.baseName().equals(key.baseName()))
                    .anyMatch(p -> !p.timing().equals(key.timing()));
            if (differs) {
                Path keyFile = dir.resolve(key.baseName() + ".key");
                OwnedPaths.requireFile(keyFile, "key.file-trust", OwnedPaths.Links.REFUSE);
                AtomicFiles.write(
                        keyFile, KeyFiles.publicKeyText(key).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC);
                settled.add(key.baseName());
            }
        }
        return settled;
    }

    public void retime(ZoneKey key) throws MxpolicyException {
        requireDirectory();
        Path keyFile = dir.resolve(key.baseName() + ".key");
        Path privateFile = dir.resolve(key.baseName() + ".private");
        if (key.privateKey().isEmpty() || !Files.exists(keyFile) || !Files.exists(privateFile)) {
            throw new InvalidInputException(
                    "key.missing",
                    SourcePosition.file(keyFile.toString()),
                    "the key " + key.baseName() + " and its private key are not both here; its timing cannot change");
        }
        OwnedPaths.requireFile(keyFile, "key.file-trust", OwnedPaths.Links.REFUSE);
        OwnedPaths.requireSecretFile(privateFile, "key.private-trust", OwnedPaths.Links.REFUSE);
        byte[] secret = KeyFiles.privateKeyText(key).getBytes(StandardCharsets.US_ASCII);
        try {
            AtomicFiles.write(privateFile, secret, AtomicFiles.PRIVATE);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        AtomicFiles.write(keyFile, KeyFiles.publicKeyText(key).getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC);
    }
}
