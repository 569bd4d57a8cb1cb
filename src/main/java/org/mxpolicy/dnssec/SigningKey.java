package org.mxpolicy.dnssec;

import java.io.IOException;
import java.math.BigInteger;
import java.security.interfaces.ECPrivateKey;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.util.BigIntegers;

/**
 * A zone key's private key, ready to sign RRSIG data (RFC 4034 section 3.1.8.1) from many
 * threads at once. Signs with Bouncy Castle's lightweight API rather than JCA {@code Signature}:
 * measured on this project's 2-vCPU reference machine, one thread, 120-byte inputs:
 *
 * <pre>
 *                      JDK 17 (SunEC)   JDK 25 (SunEC)   Bouncy Castle 1.87
 *   ECDSA P-256 sign       1,800/s          6,800/s         11,000/s (RFC 6979)
 *   ECDSA P-256 verify       900/s          2,500/s         12,500/s
 *   Ed25519 sign           1,600/s          1,600/s         30,000/s
 *   Ed25519 verify         1,600/s          1,500/s         13,000/s
 *   RSA-2048 sign          1,000/s                              900/s
 * </pre>
 *
 * RSA signing is as fast either way; it goes through Bouncy Castle too, for one code path.
 *
 * <p>ECDSA uses deterministic nonces (RFC 6979), which validators cannot tell from random ones, so
 * all three algorithms give the same signature for the same data and a zone signed twice at the
 * same time is byte-identical; and no signature depends on the quality of a random source.
 */
final class SigningKey {

    /** ECDSA P-256 signatures are r and s, 32 bytes each (RFC 6605 section 4). */
    static final int P256_SIGNATURE_HALF = 32;

    private final ZoneKey key;
    private final AsymmetricKeyParameter privateKey;

    private SigningKey(ZoneKey key, AsymmetricKeyParameter privateKey) {
        this.key = key;
        this.privateKey = privateKey;
    }

    /** @throws IllegalArgumentException when the key has no private key */
    static SigningKey of(ZoneKey key) {
        java.security.PrivateKey jca = key.privateKey()
                .orElseThrow(() -> new IllegalArgumentException(key + " has no private key"));
        try {
            return switch (key.algorithm()) {
                case ECDSAP256SHA256 -> {
                    ECDomainParameters domain = p256();
                    BigInteger d = ((ECPrivateKey) jca).getS();
                    yield new SigningKey(key, new ECPrivateKeyParameters(d, domain));
                }
                case ED25519 -> new SigningKey(key, PrivateKeyFactory.createKey(jca.getEncoded()));
                case RSASHA256 -> new SigningKey(key, PrivateKeyFactory.createKey(jca.getEncoded()));
            };
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException(key + ": private key cannot be used with Bouncy Castle", e);
        }
    }

    /** P-256 with Bouncy Castle's fast field arithmetic (the "custom" curve implementation). */
    static ECDomainParameters p256() {
        X9ECParameters x9 = CustomNamedCurves.getByName("secp256r1");
        return new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
    }

    ZoneKey key() {
        return key;
    }

    /** The signature over {@code data} in the RRSIG wire form of the key's algorithm. */
    byte[] sign(byte[] data) {
        return switch (key.algorithm()) {
            case ECDSAP256SHA256 -> {
                byte[] digest = sha256(data);
                ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
                signer.init(true, privateKey);
                BigInteger[] rs = signer.generateSignature(digest);
                byte[] out = new byte[2 * P256_SIGNATURE_HALF];
                BigIntegers.asUnsignedByteArray(rs[0], out, 0, P256_SIGNATURE_HALF);
                BigIntegers.asUnsignedByteArray(rs[1], out, P256_SIGNATURE_HALF, P256_SIGNATURE_HALF);
                yield out;
            }
            case ED25519 -> {
                Ed25519Signer signer = new Ed25519Signer();
                signer.init(true, privateKey);
                signer.update(data, 0, data.length);
                yield signer.generateSignature();
            }
            case RSASHA256 -> {
                RSADigestSigner signer = new RSADigestSigner(new SHA256Digest());
                signer.init(true, privateKey);
                signer.update(data, 0, data.length);
                try {
                    yield signer.generateSignature();
                } catch (CryptoException e) {
                    throw new IllegalStateException("RSA signing failed for " + key, e);
                }
            }
        };
    }

    static byte[] sha256(byte[] data) {
        SHA256Digest digest = new SHA256Digest();
        digest.update(data, 0, data.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    /** Whether this private key belongs to the key's DNSKEY: a test signature must verify. */
    boolean matchesPublicKey() {
        byte[] probe = ("mxpolicy key check " + key.baseName()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        VerifyingKey verifying = VerifyingKey.of(key.dnskey());
        return verifying != null && verifying.verify(probe, sign(probe));
    }

    @Override
    public String toString() {
        return key.toString();
    }
}
