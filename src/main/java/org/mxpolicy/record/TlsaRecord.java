package org.mxpolicy.record;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.mxpolicy.cert.SubjectPublicKey;

/**
 * The data of one TLSA record (RFC 6698 section 2.1): certificate usage, selector, matching
 * type and certificate association data. The record is checked when made: each field fits in
 * one octet, and digests have the length of their matching type.
 *
 * @param usage certificate usage, see {@link TlsaUsage}
 * @param selector {@link #SELECTOR_FULL_CERTIFICATE} or {@link #SELECTOR_SPKI}
 * @param matching {@link #MATCHING_FULL}, {@link #MATCHING_SHA256} or {@link #MATCHING_SHA512}
 * @param data the certificate association data (copied in and out)
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6698#section-2.1">RFC 6698 section 2.1</a>
 */
@SuppressWarnings("ArrayRecordComponent") // copied in and out; equals and hashCode compare the bytes
public record TlsaRecord(int usage, int selector, int matching, byte[] data) {

    /** The largest value of the one-octet fields, RFC 6698 section 2.1. */
    public static final int MAX_FIELD = 255;

    /**
     * Selector 0: the whole DER certificate.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6698#section-2.1.2">RFC 6698 section 2.1.2</a>
     */
    public static final int SELECTOR_FULL_CERTIFICATE = 0;
    /**
     * Selector 1: the DER SubjectPublicKeyInfo, which survives renewals that keep the key.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6698#section-2.1.2">RFC 6698 section 2.1.2</a>
     */
    public static final int SELECTOR_SPKI = 1;

    /**
     * Matching type 0: the selected content itself.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6698#section-2.1.3">RFC 6698 section 2.1.3</a>
     */
    public static final int MATCHING_FULL = 0;
    /**
     * Matching type 1: SHA-256 of the selected content.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6698#section-2.1.3">RFC 6698 section 2.1.3</a>
     */
    public static final int MATCHING_SHA256 = 1;
    /**
     * Matching type 2: SHA-512 of the selected content.
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc6698#section-2.1.3">RFC 6698 section 2.1.3</a>
     */
    public static final int MATCHING_SHA512 = 2;

    /** Octets of a SHA-256 digest (FIPS 180-4). */
    public static final int SHA256_LENGTH = 32;
    /** Octets of a SHA-512 digest (FIPS 180-4). */
    public static final int SHA512_LENGTH = 64;

    public TlsaRecord {
        checkField("usage", usage);
        checkField("selector", selector);
        checkField("matching type", matching);
        data = Objects.requireNonNull(data, "data").clone();
        if (data.length == 0) {
            throw new IllegalArgumentException("TLSA certificate association data must not be empty");
        }
        int expected = switch (matching) {
            case MATCHING_SHA256 -> SHA256_LENGTH;
            case MATCHING_SHA512 -> SHA512_LENGTH;
            default -> data.length;
        };
        if (data.length != expected) {
            throw new IllegalArgumentException(
                    "TLSA matching type " + matching + " needs " + expected + " octets of data, not " + data.length);
        }
    }

    /**
     * The record for a certificate.
     *
     * @param selector 0 for the whole certificate, 1 for its SubjectPublicKeyInfo
     * @param matching 0, 1 or 2
     */
    public static TlsaRecord of(int usage, int selector, int matching, X509Certificate cert) {
        byte[] selected = switch (selector) {
            case SELECTOR_FULL_CERTIFICATE -> encoded(cert);
            case SELECTOR_SPKI -> SubjectPublicKey.spkiOf(cert);
            default -> throw new IllegalArgumentException("no TLSA selector " + selector + " (0 or 1)");
        };
        return new TlsaRecord(usage, selector, matching, match(matching, selected));
    }

    /** The selector 1 record for a public key, which need not be in a certificate yet. */
    public static TlsaRecord of(int usage, int matching, SubjectPublicKey key) {
        return new TlsaRecord(usage, SELECTOR_SPKI, matching, match(matching, key.spki()));
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The record data in zone file form: {@code 3 1 1 <lower-case hex>} (RFC 6698 section 2.2). */
    public String presentation() {
        return usage + " " + selector + " " + matching + " " + HexFormat.of().formatHex(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsaRecord other
                && usage == other.usage
                && selector == other.selector
                && matching == other.matching
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(usage, selector, matching) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "TLSA " + presentation();
    }

    private static byte[] match(int matching, byte[] selected) {
        return switch (matching) {
            case MATCHING_FULL -> selected;
            case MATCHING_SHA256 -> digest("SHA-256", selected);
            case MATCHING_SHA512 -> digest("SHA-512", selected);
            default -> throw new IllegalArgumentException("no TLSA matching type " + matching + " (0, 1 or 2)");
        };
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm, e);
        }
    }

    private static byte[] encoded(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (CertificateEncodingException e) {
            // The certificate was parsed from DER, so it can be encoded again.
            throw new IllegalStateException("cannot encode certificate " + cert.getSubjectX500Principal(), e);
        }
    }

    private static void checkField(String name, int value) {
        if (value < 0 || value > MAX_FIELD) {
            throw new IllegalArgumentException("TLSA " + name + " " + value + " outside 0.." + MAX_FIELD);
        }
    }
}
