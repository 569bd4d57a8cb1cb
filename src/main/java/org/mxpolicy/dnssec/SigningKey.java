package org.mxpolicy.dnssec;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
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
 * threads at once, with the {@link SignatureProvider} it is made for: Conscrypt (BoringSSL) for
 * ECDSA P-256 and RSA when it is there, Bouncy Castle's lightweight API otherwise and for Ed25519.
 * The JDK's own providers are slower than either (bench/README.md, "Signing providers").
 *
 * <p>A JCA {@code Signature} is not thread-safe, so with Conscrypt every thread has its own,
 * initialised once with the key; Bouncy Castle's signers are cheap to make per signature.
 *
 * <p>With Bouncy Castle, ECDSA uses deterministic nonces (RFC 6979), so the same data gives the
 * same signature; with BoringSSL the nonce is random (mixed with the key and the message, so a weak
 * random source does not give the key away). Ed25519 and RSA PKCS#1 v1.5 are deterministic anyway.
 */
final class SigningKey {

    /** ECDSA P-256 signatures are r and s, 32 bytes each (RFC 6605 section 4). */
    static final int P256_SIGNATURE_HALF = 32;

    private final ZoneKey key;
    private final SignatureProvider provider;
    /** Bouncy Castle's form of the key, or null when Conscrypt signs. */
    private final AsymmetricKeyParameter privateKey;
    /** One Conscrypt {@code Signature} per thread, or null when Bouncy Castle signs. */
    private final ThreadLocal<Signature> signature;

    private SigningKey(
            ZoneKey key,
            SignatureProvider provider,
            AsymmetricKeyParameter privateKey,
            ThreadLocal<Signature> signature) {
        this.key = key;
        this.provider = provider;
        this.privateKey = privateKey;
        this.signature = signature;
    }

    /** @throws IllegalArgumentException when the key has no private key */
    static SigningKey of(ZoneKey key) {
        return of(key, SignatureProvider.preferred());
    }

    /** @throws IllegalArgumentException when the key has no private key or the provider cannot use it */
    static SigningKey of(ZoneKey key, SignatureProvider provider) {
        PrivateKey jca = key.privateKey().orElseThrow(() -> new IllegalArgumentException(key + " has no private key"));
        if (provider == SignatureProvider.CONSCRYPT && key.algorithm() != DnssecAlgorithm.ED25519) {
            return conscrypt(key, jca);
        }
        try {
            AsymmetricKeyParameter bc = switch (key.algorithm()) {
                case ECDSAP256SHA256 -> new ECPrivateKeyParameters(((ECPrivateKey) jca).getS(), p256());
                case ED25519, RSASHA256 -> PrivateKeyFactory.createKey(jca.getEncoded());
            };
            return new SigningKey(key, SignatureProvider.BOUNCY_CASTLE, bc, null);
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException(key + ": private key cannot be used with Bouncy Castle", e);
        }
    }

    private static SigningKey conscrypt(ZoneKey key, PrivateKey jca) {
        String keyAlgorithm = key.algorithm() == DnssecAlgorithm.RSASHA256 ? "RSA" : "EC";
        // ECDSA over a digest made here: SHA256withECDSA allocates a native digest context with a
        // finalizer for every signature, which the garbage collector then has to chase.
        String signatureAlgorithm = key.algorithm() == DnssecAlgorithm.RSASHA256 ? "SHA256withRSA" : "NONEwithECDSA";
        PrivateKey nativeKey;
        try {
            // Translated once: a key of another provider would be converted at every initSign.
            nativeKey = KeyFactory.getInstance(keyAlgorithm, SignatureProvider.conscrypt())
                    .generatePrivate(new PKCS8EncodedKeySpec(jca.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + ": private key cannot be used with Conscrypt", e);
        }
        ThreadLocal<Signature> perThread = ThreadLocal.withInitial(() -> {
            try {
                Signature s = Signature.getInstance(signatureAlgorithm, SignatureProvider.conscrypt());
                s.initSign(nativeKey);
                return s;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(key + ": Conscrypt cannot sign with it", e);
            }
        });
        return new SigningKey(key, SignatureProvider.CONSCRYPT, null, perThread);
    }

    /** P-256 with Bouncy Castle's fast field arithmetic (the "custom" curve implementation). */
    static ECDomainParameters p256() {
        X9ECParameters x9 = CustomNamedCurves.getByName("secp256r1");
        return new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
    }

    ZoneKey key() {
        return key;
    }

    SignatureProvider provider() {
        return provider;
    }

    /** The signature over {@code data} in the RRSIG wire form of the key's algorithm. */
    byte[] sign(byte[] data) {
        if (signature != null) {
            return signNative(data);
        }
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

    private byte[] signNative(byte[] data) {
        Signature s = signature.get();
        boolean ecdsa = key.algorithm() == DnssecAlgorithm.ECDSAP256SHA256;
        byte[] out;
        try {
            s.update(ecdsa ? sha256(data) : data);
            out = s.sign();
        } catch (GeneralSecurityException e) {
            // sign() failed half-way: this thread's Signature may be in any state, so it is made anew.
            signature.remove();
            throw new IllegalStateException("signing failed for " + key, e);
        }
        // RSA (RFC 5702 section 3): the PKCS#1 v1.5 signature as it is; ECDSA: r || s, not DER.
        return ecdsa ? EcdsaSignatureFormat.toPlain(out, P256_SIGNATURE_HALF) : out;
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
        VerifyingKey verifying = VerifyingKey.of(key.dnskey(), provider);
        return verifying != null && verifying.verify(probe, sign(probe));
    }

    @Override
    public String toString() {
        return key.toString();
    }
}
