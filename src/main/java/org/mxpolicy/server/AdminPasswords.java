package org.mxpolicy.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * The users of the admin listener and their bcrypt password hashes, one {@code user:hash} line
 * each, as {@code htpasswd -B} writes them ({@code $2y$}, also {@code $2a$} and {@code $2b$}).
 * Hashes are checked with Bouncy Castle's {@link OpenBSDBCrypt}, whose comparison takes the same
 * time whatever the password.
 */
public final class AdminPasswords {

    /** The finding id of a malformed password file. */
    public static final String MALFORMED = "admin.password-file";
    /** bcrypt's cost: 2^12 rounds, a quarter of a second or so per check on a small server. */
    public static final int COST = 12;
    /** bcrypt reads at most 72 bytes of a password. */
    public static final int MAX_PASSWORD_BYTES = 72;

    private final Map<String, String> hashes;
    /**
     * The hash an unknown user's password is checked against: the costliest, so that no known
     * user's check takes longer than an unknown one's.
     */
    private final String decoy;
    /**
     * The SHA-256 of the last credentials that passed, so that each page's stylesheet request
     * does not cost a bcrypt check again; compared in constant time.
     */
    /**
     * One bcrypt at a time: each costs a noticeable share of a second of CPU, and whoever can reach
     * the listener may send wrong passwords; the policy listener in the same process keeps the
     * other cores.
     */
    private final Semaphore checks = new Semaphore(1, true);

    private final AtomicReference<byte[]> lastPassed = new AtomicReference<>(new byte[0]);

    private AdminPasswords(Map<String, String> hashes) {
        this.hashes = hashes;
        this.decoy = hashes.values().stream()
                .max(java.util.Comparator.comparingInt(hash -> Integer.parseInt(hash.substring(4, 6))))
                .orElseThrow();
    }

    /**
     * Reads the lines of a password file: {@code user:hash}, blank lines and {@code #} comments
     * ignored.
     *
     * @throws InvalidInputException naming each malformed line, or the file when it has no user
     */
    public static AdminPasswords parse(String text, String source) throws InvalidInputException {
        Map<String, String> hashes = new LinkedHashMap<>();
        List<Finding> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String user = colon < 1 ? "" : line.substring(0, colon);
            String hash = colon < 1 ? "" : line.substring(colon + 1);
            if (user.isEmpty() || !hash.matches("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                // the line is not echoed: it may hold a password typed by mistake
                problems.add(Finding.error(
                        MALFORMED,
                        SourcePosition.at(source, i + 1, 1),
                        "not user:bcrypt-hash; make a line with mxpolicy serve --hash-password"));
            } else {
                hashes.put(user, hash);
            }
        }
        if (problems.isEmpty() && hashes.isEmpty()) {
            problems.add(Finding.error(
                    MALFORMED,
                    SourcePosition.file(source),
                    "no user; make a line with mxpolicy serve --hash-password"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new AdminPasswords(Map.copyOf(hashes));
    }

    /** The line of a password file for a user and password: {@code user:$2y$12$...}. */
    public static String line(String user, char[] password, SecureRandom random) {
        if (user.isEmpty() || user.contains(":") || user.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a user name is one word without ':'");
        }
        if (new String(password).getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw new IllegalArgumentException("bcrypt uses at most " + MAX_PASSWORD_BYTES + " bytes of a password");
        }
        if (password.length == 0) {
            throw new IllegalArgumentException("the password is empty");
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return user + ":" + OpenBSDBCrypt.generate("2y", password, salt, COST);
    }

    /**
     * Whether an {@code Authorization} header value carries the name and password of a user.
     * Unknown users cost a check too, so timing does not tell which users exist.
     */
    public boolean accepts(Optional<String> authorization) {
        if (authorization.isEmpty() || !authorization.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.get().substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] digest = sha256(decoded);
        if (MessageDigest.isEqual(digest, lastPassed.get())) {
            return true;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        char[] password = decoded.substring(colon + 1).toCharArray();
        if (password.length == 0
                || decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            return false;
        }
        String hash = hashes.get(decoded.substring(0, colon));
        boolean known = hash != null;
        boolean passed;
        try {
            checks.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            passed = OpenBSDBCrypt.checkPassword(known ? hash : decoy, password);
        } finally {
            checks.release();
        }
        if (known && passed) {
            lastPassed.set(digest);
            return true;
        }
        return false;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
