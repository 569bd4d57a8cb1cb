package org.mxpolicy.cert;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * Reads a "next" key, whose DANE-EE record is published before the certificate that will carry
 * it (RFC 7671 section 8.1), from whatever the operator has at hand: a certificate, a
 * certificate request, a public key, or a private key in PKCS#8 (RFC 5958), PKCS#1
 * (RFC 8017 appendix A.1.2) or SEC1 (RFC 5915) form, PEM or DER. Of a private key only the
 * public part is derived and kept; the private key is never stored or printed.
 */
public final class PublicKeyReader {

    static final String EXPECTED = "the key as a public key (openssl pkey -pubout), an unencrypted private key,"
            + " a certificate request or a certificate";

    private static final String WHAT = "the key";
    private static final Set<String> KEY_LABELS = Set.of(
            "PUBLIC KEY",
            "RSA PUBLIC KEY",
            "PRIVATE KEY",
            "RSA PRIVATE KEY",
            "EC PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY",
            "CERTIFICATE REQUEST",
            "NEW CERTIFICATE REQUEST");
    /** Written next to a key by {@code openssl ecparam -genkey}; holds no key. */
    private static final String EC_PARAMETERS = "EC PARAMETERS";

    private PublicKeyReader() {}

    /**
     * Reads the one key of a file. A certificate chain gives its leaf's key.
     *
     * @param source the file name used in messages
     * @throws InvalidInputException when the file holds no key, more than one, an encrypted
     *     private key, or a key that DANE records should not pin
     */
    public static SubjectPublicKey read(InputStream in, String source) throws InvalidInputException {
        InputBytes input = InputBytes.read(in, source, PrivateKeyReader.SIZE_LIMIT, EXPECTED);
        try {
            return input.isDer() ? fromDer(input.bytes(), SourcePosition.file(source)) : fromPem(input.text(), source);
        } finally {
            input.wipe();
        }
    }

    private static SubjectPublicKey fromPem(String text, String source) throws InvalidInputException {
        if (!PemBlock.isPem(text)) {
            throw new InvalidInputException(
                    "key.not-a-key",
                    SourcePosition.file(source),
                    "has no PEM block (-----BEGIN PUBLIC KEY-----) and is not DER: give " + EXPECTED);
        }
        List<PemBlock> certificates = new ArrayList<>();
        List<PemBlock> keys = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (PemBlock block : PemBlock.scan(text, source, "key")) {
            if (block.label().equals("CERTIFICATE")) {
                certificates.add(block);
            } else if (KEY_LABELS.contains(block.label())) {
                keys.add(block);
            } else if (!block.label().equals(EC_PARAMETERS)) {
                findings.add(Finding.error(
                        "key.not-a-key",
                        block.position(),
                        "contains a " + block.label() + " block, which holds no key: give " + EXPECTED));
            }
        }
        if (!findings.isEmpty()) {
            throw new InvalidInputException(findings);
        }
        if (!keys.isEmpty() && !certificates.isEmpty()) {
            throw new InvalidInputException(
                    "key.ambiguous",
                    keys.get(0).position(),
                    "holds both a " + keys.get(0).label() + " (line "
                            + keys.get(0).line() + ") and a certificate (line "
                            + certificates.get(0).line() + "): give one of them, in a file of its own");
        }
        if (keys.size() > 1) {
            throw new InvalidInputException(
                    "key.ambiguous",
                    keys.get(1).position(),
                    "holds " + keys.size() + " keys (lines "
                            + keys.stream().map(b -> String.valueOf(b.line())).collect(Collectors.joining(", "))
                            + "): give one key per file");
        }
        if (!certificates.isEmpty()) {
            LocatedCertificate leaf = ChainOrder.order(CertificateChainReader.fromBlocks(certificates, source))
                    .get(0);
            return SubjectPublicKey.of(leaf.certificate(), leaf.position());
        }
        if (keys.isEmpty()) {
            throw new InvalidInputException(
                    "key.not-a-key", SourcePosition.file(source), "has no key: give " + EXPECTED);
        }
        return fromBlock(keys.get(0));
    }

    private static SubjectPublicKey fromBlock(PemBlock block) throws InvalidInputException {
        SourcePosition where = block.position();
        if (block.label().equals("ENCRYPTED PRIVATE KEY") || block.hasEncryptionHeader()) {
            throw encrypted(where);
        }
        byte[] der = block.decode("key");
        try {
            return switch (block.label()) {
                case "PUBLIC KEY" -> SubjectPublicKey.fromSpki(der, where, WHAT);
                case "RSA PUBLIC KEY" -> SubjectPublicKey.fromSpki(rsaSpki(der, where), where, WHAT);
                case "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST" ->
                    SubjectPublicKey.fromSpki(requestSpki(der, where), where, WHAT);
                case "RSA PRIVATE KEY" -> fromPrivateKey(pkcs1(der, where), where);
                case "EC PRIVATE KEY" -> fromPrivateKey(sec1(der, where), where);
                default -> fromPrivateKey(parse(der, where, PrivateKeyInfo::getInstance, "PKCS#8 private key"), where);
            };
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    private static SubjectPublicKey fromDer(byte[] der, SourcePosition where) throws InvalidInputException {
        ASN1Primitive asn1 = parse(der, where, Function.identity(), "PEM file or DER structure");
        if (matches(asn1, Certificate::getInstance)) {
            return SubjectPublicKey.of(
                    CertificateChainReader.parse(der, where, "key", "the DER certificate is not valid"), where);
        }
        if (matches(asn1, SubjectPublicKeyInfo::getInstance)) {
            return SubjectPublicKey.fromSpki(der, where, WHAT);
        }
        if (matches(asn1, PrivateKeyInfo::getInstance)) {
            return fromPrivateKey(PrivateKeyInfo.getInstance(asn1), where);
        }
        if (matches(asn1, EncryptedPrivateKeyInfo::getInstance)) {
            throw encrypted(where);
        }
        // openssl writes RSA and EC keys in DER in their traditional form.
        if (matches(asn1, RSAPrivateKey::getInstance)) {
            return fromPrivateKey(pkcs1(der, where), where);
        }
        if (matches(asn1, ECPrivateKey::getInstance)) {
            return fromPrivateKey(sec1(der, where), where);
        }
        throw new InvalidInputException(
                "key.not-a-key", where, "is DER but not a certificate, public key or private key: give " + EXPECTED);
    }

    /**
     * The public key of a private key. RSA takes modulus and public exponent; EC computes
     * Q = d·G on the key's curve (SEC1 may leave Q out); EdDSA derives it as RFC 8032 section 5
     * says. The SPKI is what {@code openssl pkey -pubout -outform DER} writes: named curve OID and
     * uncompressed point for EC.
     */
    private static SubjectPublicKey fromPrivateKey(PrivateKeyInfo info, SourcePosition where)
            throws InvalidInputException {
        ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        if (!algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)
                && !algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)
                && !algorithm.equals(EdECObjectIdentifiers.id_Ed25519)
                && !algorithm.equals(EdECObjectIdentifiers.id_Ed448)) {
            throw SubjectPublicKey.unsupportedAlgorithm(algorithm, where, WHAT);
        }
        AsymmetricKeyParameter privateKey;
        try {
            privateKey = PrivateKeyFactory.createKey(info);
        } catch (IOException | RuntimeException e) {
            // Bouncy Castle reports malformed keys with unchecked exceptions as well.
            throw malformed(where, "private key", e);
        }
        AsymmetricKeyParameter publicKey;
        if (privateKey instanceof RSAPrivateCrtKeyParameters rsa) {
            publicKey = new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
        } else if (privateKey instanceof ECPrivateKeyParameters ec) {
            publicKey = new ECPublicKeyParameters(
                    new FixedPointCombMultiplier()
                            .multiply(ec.getParameters().getG(), ec.getD())
                            .normalize(),
                    ec.getParameters());
        } else if (privateKey instanceof Ed25519PrivateKeyParameters ed) {
            publicKey = ed.generatePublicKey();
        } else if (privateKey instanceof Ed448PrivateKeyParameters ed) {
            publicKey = ed.generatePublicKey();
        } else {
            throw SubjectPublicKey.unsupported(
                    where,
                    "the private key lacks its public part ("
                            + privateKey.getClass().getSimpleName() + "): give the public key (openssl pkey -pubout)");
        }
        try {
            byte[] spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicKey)
                    .getEncoded(ASN1Encoding.DER);
            return SubjectPublicKey.fromSpki(spki, where, WHAT);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a public key just derived", e);
        }
    }

    /** A PKCS#1 RSAPrivateKey in a PKCS#8 wrapper, so every private key takes one path. */
    private static PrivateKeyInfo pkcs1(byte[] der, SourcePosition where) throws InvalidInputException {
        RSAPrivateKey key = parse(der, where, RSAPrivateKey::getInstance, "PKCS#1 RSA private key");
        return wrap(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), key, where);
    }

    /** A SEC1 ECPrivateKey in a PKCS#8 wrapper; its curve moves into the algorithm identifier. */
    private static PrivateKeyInfo sec1(byte[] der, SourcePosition where) throws InvalidInputException {
        ECPrivateKey key = parse(der, where, ECPrivateKey::getInstance, "SEC1 EC private key");
        ASN1Encodable curve = key.getParametersObject();
        if (curve == null) {
            throw new InvalidInputException(
                    "key.malformed",
                    where,
                    "the EC private key does not name its curve: give the public key (openssl pkey -pubout)");
        }
        return wrap(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), key, where);
    }

    private static PrivateKeyInfo wrap(AlgorithmIdentifier algorithm, ASN1Encodable key, SourcePosition where)
            throws InvalidInputException {
        try {
            return new PrivateKeyInfo(algorithm, key);
        } catch (IOException e) {
            throw malformed(where, "private key", e);
        }
    }

    private static byte[] rsaSpki(byte[] der, SourcePosition where) throws InvalidInputException {
        RSAPublicKey key = parse(der, where, RSAPublicKey::getInstance, "PKCS#1 RSA public key");
        try {
            return new SubjectPublicKeyInfo(
                            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), key)
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw malformed(where, "PKCS#1 RSA public key", e);
        }
    }

    private static byte[] requestSpki(byte[] der, SourcePosition where) throws InvalidInputException {
        try {
            return new PKCS10CertificationRequest(der).getSubjectPublicKeyInfo().getEncoded(ASN1Encoding.DER);
        } catch (IOException | RuntimeException e) {
            throw malformed(where, "certificate request", e);
        }
    }

    private static <T> T parse(byte[] der, SourcePosition where, Function<ASN1Primitive, T> structure, String what)
            throws InvalidInputException {
        try {
            T parsed = structure.apply(ASN1Primitive.fromByteArray(der));
            if (parsed == null) {
                throw new IOException("empty structure");
            }
            return parsed;
        } catch (IOException | RuntimeException e) {
            // Bouncy Castle reports malformed ASN.1 with unchecked exceptions as well.
            throw malformed(where, what, e);
        }
    }

    private static boolean matches(ASN1Primitive asn1, Function<Object, ?> structure) {
        try {
            return structure.apply(asn1) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static InvalidInputException malformed(SourcePosition where, String what, Exception e) {
        // The reason names the ASN.1 problem only, never key bytes.
        return new InvalidInputException(
                "key.malformed",
                where,
                "is not a valid " + what + " (" + CertificateChainReader.reason(e) + "): give " + EXPECTED);
    }

    private static InvalidInputException encrypted(SourcePosition where) {
        return new InvalidInputException(
                "key.encrypted",
                where,
                "the private key is encrypted: give the public key (openssl pkey -in KEY -pubout) or an unencrypted key");
    }
}
