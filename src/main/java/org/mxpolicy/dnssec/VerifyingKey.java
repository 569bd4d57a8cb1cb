package org.mxpolicy.dnssec;

import java.math.BigInteger;
import java.util.Arrays;
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
 * A DNSKEY's public key, ready to check RRSIG signatures from many threads at once, with Bouncy
 * Castle (several times faster than the JDK's providers for ECDSA and Ed25519; see
 * {@link SigningKey}). Covers the algorithms mxpolicy signs with: 8, 13 and 15.
 */
final class VerifyingKey {

    private static final ECDomainParameters P256 = SigningKey.p256();

    private final int algorithm;
    private final Object publicKey;

    private VerifyingKey(int algorithm, Object publicKey) {
        this.algorithm = algorithm;
        this.publicKey = publicKey;
    }

    /** The key, or null when its algorithm is not one of 8, 13, 15 or its key field is malformed. */
    static VerifyingKey of(DNSKEYRecord dnskey) {
        byte[] key = dnskey.getKey();
        try {
            return switch (dnskey.getAlgorithm()) {
                case 13 -> {
                    if (key.length != 64) {
                        yield null;
                    }
                    ECPoint q = P256.getCurve().createPoint(new BigInteger(1, Arrays.copyOfRange(key, 0, 32)),
                            new BigInteger(1, Arrays.copyOfRange(key, 32, 64)));
                    yield q.isValid() ? new VerifyingKey(13, new ECPublicKeyParameters(q, P256)) : null;
                }
                case 15 -> key.length == Ed25519PublicKeyParameters.KEY_SIZE
                        ? new VerifyingKey(15, new Ed25519PublicKeyParameters(key, 0)) : null;
                case 8 -> rsa(key);
                default -> null;
            };
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** RFC 3110 section 2: exponent length (1 byte, or 0 and 2 bytes), exponent, modulus. */
    private static VerifyingKey rsa(byte[] key) {
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
        return new VerifyingKey(8, new RSAKeyParameters(false, modulus, exponent));
    }

    /** Whether {@code signature} (RRSIG wire form) is a valid signature over {@code data}. */
    boolean verify(byte[] data, byte[] signature) {
        switch (algorithm) {
            case 13 -> {
                if (signature.length != 2 * SigningKey.P256_SIGNATURE_HALF) {
                    return false;
                }
                BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, SigningKey.P256_SIGNATURE_HALF));
                BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, SigningKey.P256_SIGNATURE_HALF, signature.length));
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
}
