package org.mxpolicy.cert;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * The kind of key pair to make for the next certificate of an MX host: ECDSA on P-256 or P-384
 * (RFC 5480), RSA of 2048 bits or more (RFC 8017), or Ed25519 (RFC 8410). Either chosen by name
 * ({@code ec-p256}, {@code ec-p384}, {@code rsa-2048}, {@code rsa-3072}, {@code rsa-4096},
 * {@code ed25519}) or derived from the key the host uses now, so that a rollover changes the key
 * and nothing else about it.
 *
 * @param type ECDSA, RSA or Ed25519
 * @param bits the curve's field size (256 or 384), the RSA modulus length, or 255 for Ed25519
 */
public record KeyPairSpec(KeyType type, int bits) {

    /** ECDSA on P-256 (secp256r1). */
    public static final KeyPairSpec EC_P256 = new KeyPairSpec(KeyType.ECDSA, 256);
    /** ECDSA on P-384 (secp384r1). */
    public static final KeyPairSpec EC_P384 = new KeyPairSpec(KeyType.ECDSA, 384);
    /** Ed25519. */
    public static final KeyPairSpec ED25519 = new KeyPairSpec(KeyType.ED25519, 255);

    /**
     * The largest RSA modulus made. Larger keys buy nothing a CA or an MTA honours and take
     * minutes to generate.
     */
    public static final int MAX_RSA_BITS = 8192;

    /** The names accepted by {@link #parse}, in the order they are offered. */
    public static final List<String> NAMES =
            List.of("ec-p256", "ec-p384", "rsa-2048", "rsa-3072", "rsa-4096", "ed25519");

    public KeyPairSpec {
        Objects.requireNonNull(type, "type");
        boolean valid = switch (type) {
            case ECDSA -> bits == 256 || bits == 384;
            case RSA -> bits >= SubjectPublicKey.MIN_RSA_BITS && bits <= MAX_RSA_BITS;
            case ED25519 -> bits == 255;
            case ED448 -> false;
        };
        if (!valid) {
            throw new IllegalArgumentException("no key pair of " + type + " with " + bits + " bits is made");
        }
    }

    /** RSA with the given modulus length. */
    public static KeyPairSpec rsa(int bits) {
        return new KeyPairSpec(KeyType.RSA, bits);
    }

    /**
     * A key type chosen by name.
     *
     * @param where where the name was given (an option or a config line), for the message
     * @throws InvalidInputException for any name not in {@link #NAMES}
     */
    public static KeyPairSpec parse(String name, SourcePosition where) throws InvalidInputException {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "ec-p256" -> EC_P256;
            case "ec-p384" -> EC_P384;
            case "rsa-2048" -> rsa(2048);
            case "rsa-3072" -> rsa(3072);
            case "rsa-4096" -> rsa(4096);
            case "ed25519" -> ED25519;
            default ->
                throw new InvalidInputException(
                        "key.type", where, "unknown key type '" + name + "': use one of " + String.join(", ", NAMES));
        };
    }

    /**
     * A key pair like the one a certificate holds now: the same curve, the same RSA modulus length,
     * or Ed25519 again.
     *
     * @throws InvalidInputException when the current key is of a kind not made here (P-521, the
     *     brainpool curves, Ed448): the message asks for an explicit choice
     */
    public static KeyPairSpec like(SubjectPublicKey current, SourcePosition where) throws InvalidInputException {
        return switch (current.type()) {
            case ECDSA ->
                switch (current.bits()) {
                    case 256 -> sameCurve(current, EC_P256, where);
                    case 384 -> sameCurve(current, EC_P384, where);
                    default -> throw notMade(current, where);
                };
            case RSA -> {
                if (current.bits() > MAX_RSA_BITS) {
                    throw notMade(current, where);
                }
                yield rsa(current.bits());
            }
            case ED25519 -> ED25519;
            case ED448 -> throw notMade(current, where);
        };
    }

    /** brainpoolP256r1 has 256 bits as P-256 does; only the name tells them apart. */
    private static KeyPairSpec sameCurve(SubjectPublicKey current, KeyPairSpec spec, SourcePosition where)
            throws InvalidInputException {
        if (!current.description().equals(spec.description())) {
            throw notMade(current, where);
        }
        return spec;
    }

    private static InvalidInputException notMade(SubjectPublicKey current, SourcePosition where) {
        return new InvalidInputException(
                "key.type-unsupported",
                where,
                "the current key is "
                        + current.description()
                        + ", of which no next key is made: choose the next key's type with one of "
                        + String.join(", ", NAMES));
    }

    /** The name {@link #parse} takes: {@code ec-p256}, {@code rsa-3072}, {@code ed25519}. */
    public String name() {
        return switch (type) {
            case ECDSA -> "ec-p" + bits;
            case RSA -> "rsa-" + bits;
            default -> "ed25519";
        };
    }

    /** As {@link SubjectPublicKey#description()}: {@code ECDSA P-256}, {@code RSA 3072}, {@code Ed25519}. */
    public String description() {
        return switch (type) {
            case ECDSA -> "ECDSA P-" + bits;
            case RSA -> "RSA " + bits;
            default -> type.displayName();
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
