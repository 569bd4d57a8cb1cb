package org.mxpolicy.files;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.mxpolicy.cert.CertificateRequest;
import org.mxpolicy.cert.KeyPairMaker;
import org.mxpolicy.cert.PrivateKeyPem;
import org.mxpolicy.cert.PrivateKeyReader;
import org.mxpolicy.cert.PublicKeyReader;
import org.mxpolicy.cert.SpkiDigest;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.files.AtomicFiles.WriteFailedException;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.rollover.NextKeyStaging;

/**
 * Keeps the staged next key of each MX host in the rollover state directory:
 *
 * <pre>
 * &lt;state_dir&gt;/&lt;host&gt;/keys/&lt;first 16 hex of SHA-256 of SPKI&gt;.key   PKCS#8 PEM, 0600, never replaced or deleted
 * &lt;state_dir&gt;/&lt;host&gt;/next.key -&gt; keys/&lt;...&gt;.key                 the key the next certificate is requested for
 * &lt;state_dir&gt;/&lt;host&gt;/next.csr                                    its certificate request, 0644
 * </pre>
 *
 * <p>Every step is atomic and the steps run in an order that a crash between any two leaves a
 * state the next run completes: the key file is written (temporary file created 0600, fsync,
 * rename) before {@code next.key} points at it, so the link never dangles; {@code next.key} is
 * replaced by renaming a new link over it, so a reader sees the old link or the new one; and
 * {@code next.csr} is written last, so no certificate can be requested for a key whose TLSA
 * record mxpolicy would not yet publish (the published next key is the one {@code next.key}
 * names). Staging the same key again changes nothing: the key file exists, the link is right, and
 * the request's bytes are the same because its signature is deterministic.
 *
 * <p>Key material is only ever written to the key file; no message or {@code toString} shows it.
 */
public final class KeyStaging implements NextKeyStaging {

    /** The directory of staged keys below a host's directory. */
    public static final String KEYS = "keys";
    /** The link to the staged next key, which the config's {@code next_key} names. */
    public static final String NEXT_KEY = "next.key";
    /** The certificate request for the staged next key. */
    public static final String NEXT_CSR = "next.csr";

    /** A host name: the only directory names made below the state directory, so none is {@code ..}. */
    private static final Pattern HOST =
            Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** The finding of a state directory another user owns or may write to. */
    public static final String DIRECTORY_TRUST = "rollover.directory-permissions";

    private static final Set<PosixFilePermission> HOST_DIR = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> KEYS_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path stateDir;

    /** @param stateDir the rollover state directory ({@code rollover.state_dir}) */
    public KeyStaging(Path stateDir) {
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    }

    /**
     * What {@link #stage} left on disk.
     *
     * @param publicKey the staged key's public half
     * @param digest SHA-256 of its SPKI, as in the state's {@code sha256}
     * @param keyFile the private key file
     * @param nextKey the {@code next.key} link, pointing at {@code keyFile}
     * @param csr the {@code next.csr} file
     * @param changed whether anything on disk changed
     */
    public record Staged(
            SubjectPublicKey publicKey, SpkiDigest digest, Path keyFile, Path nextKey, Path csr, boolean changed) {}

    @Override
    public StagedKey stageNext(String host, KeyPair key, CertificateRequest request) throws MxpolicyException {
        Staged staged = stage(host, key, request);
        return new StagedKey(staged.keyFile(), staged.csr());
    }

    /**
     * Stages a key as the host's next key, with its certificate request.
     *
     * @param host the MX host name, the name of its directory (in lower case, without a trailing dot)
     * @param key the new key pair; the private key is written, never kept
     * @param request the certificate request made with {@code key}
     * @throws InvalidInputException when a directory of the state is writable by group or others,
     *     a staged key file is open to them or holds another key, {@code next.key} is not a link,
     *     the host is no host name, or the file system has no POSIX permissions
     * @throws WriteFailedException when a file cannot be written
     */
    public Staged stage(String host, KeyPair key, CertificateRequest request)
            throws InvalidInputException, WriteFailedException {
        SubjectPublicKey publicKey = KeyPairMaker.publicKey(key);
        if (!publicKey.equals(request.publicKey())) {
            throw new IllegalArgumentException("the certificate request is for another key");
        }
        SpkiDigest digest = SpkiDigest.of(publicKey);
        Path hostDir = hostDir(host);
        Path keysDir = hostDir.resolve(KEYS);
        requirePosix();
        directory(stateDir, HOST_DIR, OwnedPaths.Links.FOLLOW);
        directory(hostDir, HOST_DIR, OwnedPaths.Links.REFUSE);
        directory(keysDir, KEYS_DIR, OwnedPaths.Links.REFUSE);

        Path keyFile = keysDir.resolve(digest.stem() + ".key");
        boolean changed = writeKey(keyFile, key, publicKey);
        Path link = hostDir.resolve(NEXT_KEY);
        changed |= pointLink(link, Path.of(KEYS, keyFile.getFileName().toString()));
        Path csr = hostDir.resolve(NEXT_CSR);
        changed |= AtomicFiles.write(csr, request.pemBytes(), AtomicFiles.PUBLIC) == AtomicFiles.Outcome.WRITTEN;
        return new Staged(publicKey, digest, keyFile, link, csr, changed);
    }

    /** The private key file {@code next.key} points at, if a key is staged. */
    public Optional<Path> nextKeyFile(String host) throws InvalidInputException {
        Path link = hostDir(host).resolve(NEXT_KEY);
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        try {
            Path target = Files.readSymbolicLink(link);
            requireInKeys(link, target);
            Path keyFile = link.resolveSibling(target);
            OwnedPaths.requireSecretFile(keyFile, "rollover.next-key", OwnedPaths.Links.REFUSE);
            return Optional.of(keyFile);
        } catch (IOException e) {
            throw new InvalidInputException(
                    "rollover.unreadable",
                    SourcePosition.file(link.toString()),
                    "cannot read the link: " + e.getMessage());
        }
    }

    /** The directory of one host's rollover state. */
    public Path hostDir(String host) throws InvalidInputException {
        String name = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.length() > 253 || !HOST.matcher(name).matches()) {
            throw new InvalidInputException(
                    "rollover.host",
                    SourcePosition.file(stateDir.toString()),
                    "'" + host + "' is not a host name; no rollover state is kept for it");
        }
        return stateDir.resolve(name);
    }

    private void requirePosix() throws InvalidInputException {
        Path existing = stateDir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null
                || !existing.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            throw new InvalidInputException(
                    "rollover.not-posix",
                    SourcePosition.file(stateDir.toString()),
                    "the file system has no POSIX permissions, so private keys cannot be kept readable only by"
                            + " their owner: choose a rollover.state_dir on a POSIX file system");
        }
    }

    /**
     * Makes a directory with the given mode if it is missing, and refuses one that another user
     * owns or that group or others may write to: they could replace a staged key or the link with
     * their own.
     */
    private static void directory(Path dir, Set<PosixFilePermission> mode, OwnedPaths.Links links)
            throws InvalidInputException, WriteFailedException {
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir.toAbsolutePath().getParent());
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(mode));
                    // the attribute is filtered by the umask; set the exact mode
                    Files.setPosixFilePermissions(dir, mode);
                } catch (FileAlreadyExistsException e) {
                    // made by a concurrent run; checked below like any existing directory
                }
            }
            if (!Files.isDirectory(dir)) {
                throw new InvalidInputException(
                        "rollover.not-a-directory",
                        SourcePosition.file(dir.toString()),
                        "is not a directory: move it away so mxpolicy can keep its rollover state there");
            }
            OwnedPaths.requireDirectory(dir, DIRECTORY_TRUST, "go-w", links);
        } catch (IOException e) {
            throw new WriteFailedException(dir, e);
        }
    }

    /**
     * Writes the key file unless it exists; an existing one must hold the same key and be closed
     * to group and others. Returns whether it was written.
     */
    private static boolean writeKey(Path keyFile, KeyPair key, SubjectPublicKey publicKey)
            throws InvalidInputException, WriteFailedException {
        SourcePosition where = SourcePosition.file(keyFile.toString());
        if (Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(keyFile, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidInputException(
                        "rollover.key-file", where, "is not a regular file: staged keys are plain files; move it away");
            }
            OwnedPaths.requireSecretFile(keyFile, "key.private-permissions", OwnedPaths.Links.REFUSE);
            byte[] bytes = InputFiles.read(keyFile, PrivateKeyReader.SIZE_LIMIT);
            try {
                SubjectPublicKey staged = PublicKeyReader.read(new ByteArrayInputStream(bytes), keyFile.toString());
                if (!staged.equals(publicKey)) {
                    throw new InvalidInputException(
                            "rollover.key-file",
                            where,
                            "holds another key than the one"
                                    + " its name stands for: move it away; mxpolicy never replaces a staged key");
                }
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
            return false;
        }
        byte[] pem = PrivateKeyPem.encode(key.getPrivate());
        try {
            AtomicFiles.write(keyFile, pem, AtomicFiles.PRIVATE);
        } finally {
            Arrays.fill(pem, (byte) 0);
        }
        AtomicLinks.syncDirectory(keyFile.getParent());
        return true;
    }

    /**
     * Refuses a {@code next.key} that points anywhere but at a file in {@code keys/}: a link out of
     * the state directory would make mxpolicy use a key it does not keep.
     */
    private static void requireInKeys(Path link, Path target) throws InvalidInputException {
        if (target.isAbsolute()
                || target.getNameCount() != 2
                || !target.getName(0).toString().equals(KEYS)
                || target.getName(1).toString().startsWith(".")) {
            throw new InvalidInputException(
                    "rollover.next-key",
                    SourcePosition.file(link.toString()),
                    "points at " + target + ", not at a key in " + KEYS + "/: mxpolicy only follows " + NEXT_KEY
                            + " into " + KEYS + "/; remove the link");
        }
    }

    /**
     * Points a symbolic link at a target by renaming a new link over it, so it is never missing
     * or half made. Returns whether it changed.
     */
    private static boolean pointLink(Path link, Path target) throws InvalidInputException, WriteFailedException {
        try {
            if (Files.isSymbolicLink(link)) {
                Path current = Files.readSymbolicLink(link);
                requireInKeys(link, current);
                if (current.equals(target)) {
                    return false;
                }
            }
            if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
                throw new InvalidInputException(
                        "rollover.next-key",
                        SourcePosition.file(link.toString()),
                        "is not a symbolic link: mxpolicy keeps " + NEXT_KEY + " as a link into " + KEYS
                                + "/; move the file away");
            }
            AtomicLinks.replace(link, target);
            return true;
        } catch (IOException e) {
            throw new WriteFailedException(link, e);
        }
    }
}
