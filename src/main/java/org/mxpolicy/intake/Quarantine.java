package org.mxpolicy.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import org.mxpolicy.tlsrpt.ReportStoreException;

/**
 * Where a mail that can never be a report is kept, byte for byte, with the reason beside it:
 * {@code <sha256>.eml} and {@code <sha256>.reason}. Named by content, so keeping the same mail
 * twice (a retry, a re-run after a crash) leaves one copy. The directory is private to its owner:
 * reports and the mails around them carry IP addresses (TR-03108-14-M).
 */
public final class Quarantine {

    private final Path dir;
    private final long maxBytes;

    /**
     * A quarantine.
     *
     * @param maxBytes the most bytes of one mail kept; the rest is cut off and the reason says so
     */
    public Quarantine(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    /** The most bytes of one mail kept. */
    public long maxBytes() {
        return maxBytes;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Keeps the mail read from {@code message} and the reason.
     *
     * @return the path of the kept mail
     * @throws ReportStoreException the quarantine cannot be written: the mail must stay where it is
     */
    public Path keep(InputStream message, String reason, String source, Instant now) throws ReportStoreException {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path temp = Files.createTempFile(dir, ".incoming-", ".tmp");
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            long copied;
            boolean cut;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha256)) {
                copied = copy(message, out, maxBytes);
                cut = copied > maxBytes || message.read() >= 0;
            }
            String name = HexFormat.of().formatHex(sha256.digest()).substring(0, 32);
            Path mail = dir.resolve(name + ".eml");
            String text = "reason: " + reason + "\nsource: " + source + "\nquarantined: " + now + "\n"
                    + (cut ? "note: cut off after " + maxBytes + " bytes\n" : "");
            Path reasonTemp = Files.createTempFile(dir, ".incoming-", ".tmp");
            Files.write(reasonTemp, text.getBytes(StandardCharsets.UTF_8));
            move(reasonTemp, dir.resolve(name + ".reason"));
            move(temp, mail);
            return mail;
        } catch (IOException e) {
            throw ReportStoreException.io("cannot write to the quarantine " + dir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static long copy(InputStream in, OutputStream out, long max) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        long total = 0;
        int n;
        while (total < max && (n = in.read(chunk, 0, (int) Math.min(chunk.length, max - total))) > 0) {
            out.write(chunk, 0, n);
            total += n;
        }
        return total;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
