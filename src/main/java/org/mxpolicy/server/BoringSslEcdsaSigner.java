package org.mxpolicy.server;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.SignatureSpi;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * ECDSA signing in BoringSSL for JSSE's handshakes: the signature of a full TLS 1.3 handshake
 * (CertificateVerify) and of a TLS 1.2 ECDHE key exchange. The JDK's own (SunEC) took about
 * 560 µs for one P-256 signature on Java 17, BoringSSL about 20 µs (bench/README.md), and a
 * sender that fetches a policy once a day brings no session to resume: every one of its
 * connections is a full handshake.
 *
 * <p>For EC private keys only ({@code SupportedKeyClasses} of the service), so that the JCA gives
 * verification and other keys to the JDK's providers. A caller that fixes the provider before
 * {@code initVerify} (by asking {@code getProvider()}) gets this class anyway; it verifies with
 * the JDK's SunEC then. Each host's key is translated to BoringSSL's form once and kept as long
 * as the key itself is in use. BoringSSL draws each nonce at random, as OpenSSL does for nginx.
 */
abstract class BoringSslEcdsaSigner extends SignatureSpi {

    /** The signature algorithms JSSE asks for with an EC key; one subclass each. */
    static final Map<String, Class<? extends BoringSslEcdsaSigner>> ALGORITHMS = Map.of(
            "SHA256withECDSA", Sha256.class, "SHA384withECDSA", Sha384.class, "SHA512withECDSA", Sha512.class);

    /** The hosts' keys in BoringSSL's form, by the key JSSE's key manager hands out. */
    private static final Map<PrivateKey, PrivateKey> TRANSLATED = Collections.synchronizedMap(new WeakHashMap<>());

    private final String algorithm;
    /** BoringSSL's after {@code initSign}, SunEC's after {@code initVerify}. */
    private Signature signer;

    BoringSslEcdsaSigner(String algorithm) {
        this.algorithm = algorithm;
    }

    public static final class Sha256 extends BoringSslEcdsaSigner {
        public Sha256() {
            super("SHA256withECDSA");
        }
    }

    public static final class Sha384 extends BoringSslEcdsaSigner {
        public Sha384() {
            super("SHA384withECDSA");
        }
    }

    public static final class Sha512 extends BoringSslEcdsaSigner {
        public Sha512() {
            super("SHA512withECDSA");
        }
    }

    @Override
    protected void engineInitSign(PrivateKey key) throws InvalidKeyException {
        if (!(key instanceof ECPrivateKey)) {
            throw new InvalidKeyException("only EC private keys here");
        }
        try {
            Signature next = Signature.getInstance(algorithm, BoringSsl.provider());
            next.initSign(translated(key));
            signer = next;
        } catch (InvalidKeyException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyException("BoringSSL offers no " + algorithm + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void engineInitSign(PrivateKey key, SecureRandom random) throws InvalidKeyException {
        // BoringSSL draws the nonce from its own generator.
        engineInitSign(key);
    }

    private static PrivateKey translated(PrivateKey key) throws GeneralSecurityException {
        PrivateKey known = TRANSLATED.get(key);
        if (known == null) {
            known = (PrivateKey) KeyFactory.getInstance("EC", BoringSsl.provider()).translateKey(key);
            TRANSLATED.put(key, known);
        }
        return known;
    }

    @Override
    protected void engineInitVerify(PublicKey key) throws InvalidKeyException {
        try {
            Signature next = Signature.getInstance(algorithm, "SunEC");
            next.initVerify(key);
            signer = next;
        } catch (InvalidKeyException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyException("the JDK offers no " + algorithm + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void engineUpdate(byte b) throws SignatureException {
        initialized().update(b);
    }

    @Override
    protected void engineUpdate(byte[] b, int off, int len) throws SignatureException {
        initialized().update(b, off, len);
    }

    @Override
    protected void engineUpdate(ByteBuffer input) {
        try {
            initialized().update(input);
        } catch (SignatureException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
        return initialized().sign();
    }

    @Override
    protected boolean engineVerify(byte[] sigBytes) throws SignatureException {
        return initialized().verify(sigBytes);
    }

    @Override
    protected void engineSetParameter(AlgorithmParameterSpec params) throws InvalidAlgorithmParameterException {
        if (params != null) {
            throw new InvalidAlgorithmParameterException("ECDSA takes no parameters");
        }
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String param, Object value) {
        throw new InvalidParameterException("no parameters here");
    }

    @Override
    @Deprecated
    protected Object engineGetParameter(String param) {
        throw new InvalidParameterException("no parameters here");
    }

    private Signature initialized() throws SignatureException {
        if (signer == null) {
            throw new SignatureException("not initialized");
        }
        return signer;
    }
}
