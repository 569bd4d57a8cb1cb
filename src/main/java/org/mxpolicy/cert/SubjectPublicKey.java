package org.mxpolicy.cert;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.teletrust.TeleTrusTObjectIdentifiers;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * A public key as its DER SubjectPublicKeyInfo (RFC 5280 section 4.1.2.7), the bytes a TLSA
 * record with selector 1 matches (RFC 6698 section 2.1.2). Only keys strong enough to pin are
 * made: RSA of 2048 bits or more, ECDSA on P-256, P-384, P-521 or the brainpool r1 curves of
 * RFC 5639, Ed25519 and Ed448.
 *
 * @param spki the DER SubjectPublicKeyInfo (copied in and out)
 * @param type the kind of key
 * @param bits the modulus length for RSA, the field size for elliptic curves (255 for
 *     Ed25519, 448 for Ed448)
 */
@SuppressWarnings("ArrayRecordComponent") // copied in and out; equals and hashCode compare the bytes
public record SubjectPublicKey(byte[] spki, KeyType type, int bits) {

    /** The smallest RSA modulus accepted, in bits. */
    public static final int MIN_RSA_BITS = 2048;

    static final String ACCEPTED = "RSA (2048 bits or more), ECDSA on P-256, P-384, P-521, brainpoolP256r1,"
            + " brainpoolP384r1 or brainpoolP512r1, Ed25519 or Ed448";

    private record Curve(String name, int bits) {}

    private static final Map<ASN1ObjectIdentifier, Curve> CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, new Curve("P-256", 256),
            SECObjectIdentifiers.secp384r1, new Curve("P-384", 384),
            SECObjectIdentifiers.secp521r1, new Curve("P-521", 521),
            TeleTrusTObjectIdentifiers.brainpoolP256r1, new Curve("brainpoolP256r1", 256),
            TeleTrusTObjectIdentifiers.brainpoolP384r1, new Curve("brainpoolP384r1", 384),
            TeleTrusTObjectIdentifiers.brainpoolP512r1, new Curve("brainpoolP512r1", 512));

    private static final Map<ASN1ObjectIdentifier, String> REFUSED_ALGORITHMS = Map.of(
            X9ObjectIdentifiers.id_dsa, "a DSA key",
            PKCSObjectIdentifiers.id_RSASSA_PSS, "an RSASSA-PSS key (RSA restricted to PSS)",
            EdECObjectIdentifiers.id_X25519, "an X25519 key (for key agreement, not signatures)",
            EdECObjectIdentifiers.id_X448, "an X448 key (for key agreement, not signatures)");

    public SubjectPublicKey {
        spki = Objects.requireNonNull(spki, "spki").clone();
        Objects.requireNonNull(type, "type");
        if (bits <= 0) {
            throw new IllegalArgumentException("bits must be positive: " + bits);
        }
    }

    @Override
    public byte[] spki() {
        return spki.clone();
    }

    /** For example {@code RSA 2048}, {@code ECDSA P-256}, {@code Ed25519}. */
    public String description() {
        return switch (type) {
            case RSA -> "RSA " + bits;
            case ECDSA -> "ECDSA " + curveName();
            case ED25519, ED448 -> type.displayName();
        };
    }

    private String curveName() {
        try {
            Curve curve = curveOf(SubjectPublicKeyInfo.getInstance(spki));
            return curve == null ? bits + " bits" : curve.name();
        } catch (IllegalArgumentException e) {
            // Made with the canonical constructor from bytes that are no SPKI.
            return bits + " bits";
        }
    }

    /** The key of a certificate, if it is one DANE records may pin. */
    public static SubjectPublicKey of(X509Certificate cert, SourcePosition where) throws InvalidInputException {
        return fromSpki(
                spkiOf(cert),
                where,
                "the certificate's key (" + cert.getSubjectX500Principal().getName() + ")");
    }

    /** As {@link #of(X509Certificate, SourcePosition)}, for a certificate with no known file. */
    public static SubjectPublicKey of(X509Certificate cert) throws InvalidInputException {
        return of(cert, null);
    }

    /**
     * The DER SubjectPublicKeyInfo of a certificate, as it is in the certificate, without any
     * check of the key: what selector 1 matches.
     */
    public static byte[] spkiOf(X509Certificate cert) {
        try {
            return Certificate.getInstance(cert.getEncoded())
                    .getSubjectPublicKeyInfo()
                    .getEncoded(ASN1Encoding.DER);
        } catch (CertificateEncodingException | IOException e) {
            // The certificate was parsed from these bytes, so encoding them again cannot fail.
            throw new IllegalStateException("cannot encode certificate " + cert.getSubjectX500Principal(), e);
        }
    }

    /**
     * Checks a DER SubjectPublicKeyInfo and classifies it.
     *
     * @param what how messages name the key, for example {@code the key}
     */
    static SubjectPublicKey fromSpki(byte[] der, SourcePosition where, String what) throws InvalidInputException {
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
            if (info == null) {
                throw new IOException("no SubjectPublicKeyInfo");
            }
        } catch (IOException | RuntimeException e) {
            // Bouncy Castle reports malformed ASN.1 with unchecked exceptions as well.
            throw new InvalidInputException(
                    "key.malformed",
                    where,
                    what + " is not a valid SubjectPublicKeyInfo (" + CertificateChainReader.reason(e) + ")");
        }
        ASN1ObjectIdentifier algorithm = info.getAlgorithm().getAlgorithm();
        if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            int bits = rsaBits(info, where, what);
            if (bits < MIN_RSA_BITS) {
                throw unsupported(
                        where,
                        what + " is RSA with " + bits + " bits, too short to pin: use RSA with " + MIN_RSA_BITS
                                + " bits or more, or ECDSA P-256 or P-384");
            }
            return new SubjectPublicKey(der, KeyType.RSA, bits);
        }
        if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            Curve curve = curveOf(info);
            if (curve == null) {
                throw unsupported(
                        where,
                        what + " is ECDSA " + curveProblem(info.getAlgorithm().getParameters())
                                + ": use a key on P-256, P-384, P-521, brainpoolP256r1, brainpoolP384r1 or brainpoolP512r1");
            }
            return new SubjectPublicKey(der, KeyType.ECDSA, curve.bits());
        }
        if (algorithm.equals(EdECObjectIdentifiers.id_Ed25519)) {
            return new SubjectPublicKey(der, KeyType.ED25519, 255);
        }
        if (algorithm.equals(EdECObjectIdentifiers.id_Ed448)) {
            return new SubjectPublicKey(der, KeyType.ED448, 448);
        }
        throw unsupportedAlgorithm(algorithm, where, what);
    }

    /** The refusal of a key of an algorithm that is not RSA, ECDSA, Ed25519 or Ed448. */
    static InvalidInputException unsupportedAlgorithm(
            ASN1ObjectIdentifier algorithm, SourcePosition where, String what) {
        String kind = REFUSED_ALGORITHMS.getOrDefault(algorithm, "a key of algorithm " + algorithm.getId());
        return unsupported(where, what + " is " + kind + ", which is not supported: use " + ACCEPTED);
    }

    static InvalidInputException unsupported(SourcePosition where, String message) {
        return new InvalidInputException("cert.unsupported-key", where, message);
    }

    private static int rsaBits(SubjectPublicKeyInfo info, SourcePosition where, String what)
            throws InvalidInputException {
        try {
            return RSAPublicKey.getInstance(info.parsePublicKey()).getModulus().bitLength();
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(
                    "key.malformed",
                    where,
                    what + " is not a valid RSA public key (" + CertificateChainReader.reason(e) + ")");
        }
    }

    /** The accepted named curve of an EC key, or null. */
    private static Curve curveOf(SubjectPublicKeyInfo info) {
        ASN1Encodable parameters = info.getAlgorithm().getParameters();
        if (parameters instanceof ASN1ObjectIdentifier oid) {
            return CURVES.get(oid);
        }
        return null;
    }

    private static String curveProblem(ASN1Encodable parameters) {
        if (parameters instanceof ASN1ObjectIdentifier oid) {
            String name = ECNamedCurveTable.getName(oid);
            return "on curve " + (name == null ? oid.getId() : name) + ", which is not supported";
        }
        try {
            if (parameters != null && !X962Parameters.getInstance(parameters).isImplicitlyCA()) {
                return "with explicit curve parameters, which are not supported (write the key with"
                        + " openssl's default -param_enc named_curve)";
            }
        } catch (IllegalArgumentException e) {
            // fall through: parameters of no known form
        }
        return "without curve parameters, which is not supported";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubjectPublicKey other
                && Arrays.equals(spki, other.spki)
                && type == other.type
                && bits == other.bits;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(spki);
    }

    /** The description and the SHA-256 of the SPKI, never the key bytes. */
    @Override
    public String toString() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(spki);
            return "SubjectPublicKey[" + description() + ", spki sha256 "
                    + HexFormat.of().formatHex(digest) + "]";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
