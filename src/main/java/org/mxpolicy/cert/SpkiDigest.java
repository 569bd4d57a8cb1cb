package org.mxpolicy.cert;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The SHA-256 digest of a key's DER SubjectPublicKeyInfo, in lower-case hex: the data of the
 * key's TLSA record with selector 1 and matching type 1 (RFC 6698 section 2.1), and so the name
 * of the key wherever mxpolicy keeps it.
 *
 * @param hex 64 lower-case hex digits
 */
public record SpkiDigest(String hex) {

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    /** Hex digits of the digest in a staged key's file name: 64 bits, no collision among a host's keys. */
    private static final int STEM = 16;

    public SpkiDigest {
        Objects.requireNonNull(hex, "hex");
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("not 64 lower-case hex digits: " + hex);
        }
    }

    public static SpkiDigest of(SubjectPublicKey key) {
        try {
            return new SpkiDigest(HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.spki())));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The first 16 hex digits, the stem of the key's file name ({@code keys/<stem>.key}). */
    public String stem() {
        return hex.substring(0, STEM);
    }

    @Override
    public String toString() {
        return hex;
    }
}
