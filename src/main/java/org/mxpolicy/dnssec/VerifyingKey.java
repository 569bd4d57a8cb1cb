package org.mxpolicy.dnssec;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.math.ec.ECPoint;
import org.xbill.DNS.DNSKEYRecord;

/**
 * A DNSKEY's public key, ready to check RRSIG signatures from many threads at once, with the
 * {@link SignatureProvider} it is made for (Conscrypt for ECDSA P-256 and RSA when it is there,
 * Bouncy Castle otherwise and for Ed25519; both several times faster than the JDK's providers, see
 * {@link SigningKey}). Covers the algorithms mxpolicy signs with: 8, 13 and 15.
 */
final class VerifyingKey {

    private static final ECDomainParameters P256 = SigningKey.p256();
    /**
     * The DER SubjectPublicKeyInfo of a P-256 key up to its point: SEQUENCE { SEQUENCE { id-ecPublicKey,
     * prime256v1 }, BIT STRING { 04 (uncompressed) ... } } (RFC 5480 section 2); the DNSKEY's x || y follows.
     */
    private static final byte[] P256_SPKI_PREFIX =
            HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d03010703420004");

    private final int algorithm;
    /** Bouncy Castle's form of the key, or null when Conscrypt verifies. */
    private final Object publicKey;
    /** One Conscrypt {@code Signature} per thread, or null when Bouncy Castle verifies. */
    private final ThreadLocal<Signature> signature;

    private VerifyingKey(int algorithm, Object publicKey, ThreadLocal<Signature> signature) {
        this.algorithm = algorithm;
        this.publicKey = publicKey;
        this.signature = signature;
    }

    /** The key, or null when its algorithm is not one of 8, 13, 15 or its key field is malformed. */
    static VerifyingKey of(DNSKEYRecord dnskey) {
        return of(dnskey, SignatureProvider.preferred());
    }

    /** The key for {@code provider}, or null when its algorithm is not one of 8, 13, 15 or its key field is malformed. */
    static VerifyingKey of(DNSKEYRecord dnskey, SignatureProvider provider) {
        byte[] key = dnskey.getKey();
        try {
            return switch (dnskey.getAlgorithm()) {
                case 13 -> {
                    if (key.length != 64) {
                        yield null;
                    }
                    // Checked with Bouncy Castle whichever provider verifies: one rule for a malformed key.
                    ECPoint q = P256.getCurve()
                            .createPoint(
                                    new BigInteger(1, Arrays.copyOfRange(key, 0, 32)),
                                    new BigInteger(1, Arrays.copyOfRange(key, 32, 64)));
                    if (!q.isValid()) {
                        yield null;
                    }
                    if (provider == SignatureProvider.CONSCRYPT) {
                        byte[] spki = Arrays.copyOf(P256_SPKI_PREFIX, P256_SPKI_PREFIX.length + key.length);
                        System.arraycopy(key, 0, spki, P256_SPKI_PREFIX.length, key.length);
                        // Over a digest made here, as SigningKey signs: no native digest context per signature.
                        yield conscrypt(13, "EC", new X509EncodedKeySpec(spki), "NONEwithECDSA");
                    }
                    yield new VerifyingKey(13, new ECPublicKeyParameters(q, P256), null);
                }
                case 15 ->
                    key.length == Ed25519PublicKeyParameters.KEY_SIZE
                            ? new VerifyingKey(15, new Ed25519PublicKeyParameters(key, 0), null)
                            : null;
                case 8 -> rsa(key, provider);
                default -> null;
            };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** RFC 3110 section 2: exponent length (1 byte, or 0 and 2 bytes), exponent, modulus. */
    private static VerifyingKey rsa(byte[] key, SignatureProvider provider) {
        if (key.length < 3) {
            return null;
        }
        int pos = 1;
        int expLength = key[0] & 0xff;
        if (expLength == 0) {
            expLength = ((key[1] & 0xff) << 8) | (key[2] & 0xff);
            pos = 3;
        }
        if (expLength == 0 || pos + expLength >= key.length) {
            return null;
        }
        BigInteger exponent = new BigInteger(1, Arrays.copyOfRange(key, pos, pos + expLength));
        BigInteger modulus = new BigInteger(1, Arrays.copyOfRange(key, pos + expLength, key.length));
        if (provider == SignatureProvider.CONSCRYPT) {
            return conscrypt(8, "RSA", new RSAPublicKeySpec(modulus, exponent), "SHA256withRSA");
        }
        return new VerifyingKey(8, new RSAKeyParameters(false, modulus, exponent), null);
    }

    /** @throws IllegalArgumentException when Conscrypt refuses the key */
    private static VerifyingKey conscrypt(
            int algorithm, String keyAlgorithm, java.security.spec.KeySpec spec, String signatureAlgorithm) {
        PublicKey key;
        try {
            key = KeyFactory.getInstance(keyAlgorithm, SignatureProvider.conscrypt())
                    .generatePublic(spec);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("public key refused by Conscrypt", e);
        }
        ThreadLocal<Signature> perThread = ThreadLocal.withInitial(() -> {
            try {
                Signature s = Signature.getInstance(signatureAlgorithm, SignatureProvider.conscrypt());
                s.initVerify(key);
                return s;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Conscrypt cannot verify with a key it made", e);
            }
        });
        return new VerifyingKey(algorithm, null, perThread);
    }

    /** Whether {@code signature} (RRSIG wire form) is a valid signature over {@code data}. */
    boolean verify(byte[] data, byte[] signature) {
        if (algorithm == 13 && signature.length != 2 * SigningKey.P256_SIGNATURE_HALF) {
            return false;
        }
        if (this.signature != null) {
            return algorithm == 13
                    ? verifyNative(SigningKey.sha256(data), EcdsaSignatureFormat.toDer(signature))
                    : verifyNative(data, signature);
        }
        switch (algorithm) {
            case 13 -> {
                BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, SigningKey.P256_SIGNATURE_HALF));
                BigInteger s = new BigInteger(
                        1, Arrays.copyOfRange(signature, SigningKey.P256_SIGNATURE_HALF, signature.length));
                ECDSASigner verifier = new ECDSASigner();
                verifier.init(false, (ECPublicKeyParameters) publicKey);
                return verifier.verifySignature(SigningKey.sha256(data), r, s);
            }
            case 15 -> {
                Ed25519Signer verifier = new Ed25519Signer();
                verifier.init(false, (Ed25519PublicKeyParameters) publicKey);
                verifier.update(data, 0, data.length);
                return verifier.verifySignature(signature);
            }
            case 8 -> {
                RSADigestSigner verifier = new RSADigestSigner(new SHA256Digest());
                verifier.init(false, (RSAKeyParameters) publicKey);
                verifier.update(data, 0, data.length);
                return verifier.verifySignature(signature);
            }
            default -> throw new IllegalStateException("algorithm " + algorithm);
        }
    }

    private boolean verifyNative(byte[] data, byte[] jcaSignature) {
        Signature s = signature.get();
        try {
            s.update(data);
            return s.verify(jcaSignature);
        } catch (SignatureException e) {
            // A signature the provider cannot even parse (an RSA signature of the wrong length): not valid.
            // verify() resets the object only when it returns, so this thread gets a fresh one.
            signature.remove();
            return false;
        }
    }
}
