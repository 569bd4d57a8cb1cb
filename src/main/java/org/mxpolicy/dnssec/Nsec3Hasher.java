package org.mxpolicy.dnssec;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import org.xbill.DNS.Name;

/**
 * NSEC3 owner-name hashing, RFC 5155 section 5: {@code IH(salt, x, 0) = H(x || salt)},
 * {@code IH(salt, x, k) = H(IH(salt, x, k-1) || salt)}, with H = SHA-1 over the name in canonical
 * wire form (lower case). Not thread-safe: one hasher per thread.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5155#section-5">RFC 5155 section 5</a>
 */
public final class Nsec3Hasher {

    /** Hash algorithm 1, SHA-1 (RFC 5155 section 11), the only one defined. */
    public static final int SHA1 = 1;
    /** RFC 9276 section 3.1: no additional iterations. */
    public static final int RECOMMENDED_ITERATIONS = 0;
    /** SHA-1 digests are 20 bytes; base32hex makes them 32 characters. */
    public static final int HASH_LENGTH = 20;

    private static final char[] BASE32HEX = "0123456789abcdefghijklmnopqrstuv".toCharArray();

    private final int iterations;
    private final byte[] salt;
    private final MessageDigest sha1;

    public Nsec3Hasher(int iterations, byte[] salt) {
        if (iterations < 0 || iterations > 0xffff) {
            throw new IllegalArgumentException("iterations " + iterations + " outside 0..65535");
        }
        if (salt.length > 255) {
            throw new IllegalArgumentException("salt longer than 255 bytes");
        }
        this.iterations = iterations;
        this.salt = salt.clone();
        try {
            this.sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** RFC 9276 parameters: no extra iterations, empty salt. */
    public static Nsec3Hasher recommended() {
        return new Nsec3Hasher(RECOMMENDED_ITERATIONS, new byte[0]);
    }

    public byte[] hash(Name name) {
        byte[] x = name.toWireCanonical();
        for (int k = 0; k <= iterations; k++) {
            sha1.update(x);
            sha1.update(salt);
            x = sha1.digest();
        }
        return x;
    }

    public int iterations() {
        return iterations;
    }

    public byte[] salt() {
        return salt.clone();
    }

    /** Base32 with the extended hex alphabet (RFC 4648 section 7), lower case, no padding. */
    public static String base32hex(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32HEX[(buffer >> (bits - 5)) & 0x1f]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32HEX[(buffer << (5 - bits)) & 0x1f]);
        }
        return sb.toString();
    }

    /** The hash in an NSEC3 owner label, or null when the label is not base32hex of 20 bytes. */
    public static byte[] fromBase32hex(String label) {
        String text = label.toLowerCase(Locale.ROOT);
        if (text.length() != 32) {
            return null;
        }
        byte[] out = new byte[HASH_LENGTH];
        long buffer = 0;
        int bits = 0;
        int pos = 0;
        for (int i = 0; i < text.length(); i++) {
            int v = Arrays.binarySearch(BASE32HEX, text.charAt(i));
            if (v < 0) {
                return null;
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[pos++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }
}
