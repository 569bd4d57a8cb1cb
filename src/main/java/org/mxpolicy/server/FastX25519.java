package org.mxpolicy.server;

import java.math.BigInteger;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactorySpi;
import java.security.KeyPair;
import java.security.KeyPairGeneratorSpi;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECKey;
import java.security.interfaces.XECPrivateKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.KeyAgreementSpi;
import javax.crypto.SecretKey;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * X25519 (RFC 7748) for the JDK's TLS: the three services JSSE uses for the x25519 key share of
 * TLS 1.3 and TLS 1.2 ECDHE, {@code XDH} key pair generation, key factory and key agreement, for
 * X25519 only, offered by {@link TlsCryptoProvider}. The JDK's own X25519
 * ({@code sun.security.ec.XECOperations}) does a variable-base ladder even for the key pair and
 * took about 40 % of the policy server's CPU time per new TLS connection (bench/README.md). Here
 * the arithmetic is BoringSSL's, through Conscrypt's native library, or Bouncy Castle's where that
 * does not load ({@link X25519Arithmetic}); the keys are the JDK's interfaces, as JSSE needs.
 *
 * <p>Other curves (X448) are refused by these services, so the JCA falls over to the next
 * provider, the JDK's, for them; everything else in the program keeps the JDK's providers.
 * All-zero shared secrets (a peer's small-order point) are refused, as RFC 7748 section 6.1 and
 * RFC 8446 section 7.4.2 require.
 */
final class FastX25519 {

    private static final int SIZE = X25519Arithmetic.SIZE;

    private FastX25519() {}

    /** Chosen once per JVM, when the provider is installed. */
    private static final class Chosen {
        static final X25519Arithmetic ARITHMETIC = X25519Arithmetic.best();
    }

    /** The arithmetic in use, chosen (and its native library loaded) on the first call. */
    static X25519Arithmetic arithmetic() {
        return Chosen.ARITHMETIC;
    }

    private static boolean isX25519(AlgorithmParameterSpec params) {
        return params instanceof NamedParameterSpec named && named.getName().equalsIgnoreCase("X25519");
    }

    /** The 32 little-endian bytes of u, the form X25519 works on (RFC 7748 section 5). */
    static byte[] encodeU(BigInteger u) throws InvalidKeySpecException {
        if (u.signum() < 0 || u.bitLength() > 8 * SIZE) {
            throw new InvalidKeySpecException("X25519 u-coordinate out of range");
        }
        byte[] bigEndian = u.toByteArray();
        byte[] out = new byte[SIZE];
        for (int i = 0; i < SIZE && i < bigEndian.length; i++) {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return out;
    }

    static BigInteger decodeU(byte[] littleEndian) {
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < littleEndian.length; i++) {
            bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        }
        return new BigInteger(1, bigEndian);
    }

    /** The encoded form of an X25519 key: a DER prefix (RFC 8410), then the 32 bytes of the key. */
    private abstract static class X25519Key implements XECKey {
        private static final long serialVersionUID = 1L;
        final byte[] bytes;
        private final byte[] derPrefix;
        private final String format;

        X25519Key(byte[] bytes, byte[] derPrefix, String format) {
            this.bytes = bytes.clone();
            this.derPrefix = derPrefix;
            this.format = format;
        }

        @Override
        public AlgorithmParameterSpec getParams() {
            return NamedParameterSpec.X25519;
        }

        public String getAlgorithm() {
            return "XDH";
        }

        public String getFormat() {
            return format;
        }

        public byte[] getEncoded() {
            byte[] out = Arrays.copyOf(derPrefix, derPrefix.length + SIZE);
            System.arraycopy(bytes, 0, out, derPrefix.length, SIZE);
            return out;
        }
    }

    /** An X25519 public key: the u-coordinate, 32 bytes little-endian. */
    static final class PublicX25519 extends X25519Key implements XECPublicKey {
        private static final long serialVersionUID = 1L;
        /** SubjectPublicKeyInfo up to the key: SEQUENCE { SEQUENCE { id-X25519 }, BIT STRING }. */
        private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b656e032100");

        PublicX25519(byte[] u) {
            super(u, SPKI_PREFIX, "X.509");
        }

        byte[] u() {
            return bytes.clone();
        }

        @Override
        public BigInteger getU() {
            return decodeU(bytes);
        }
    }

    /** An X25519 private key: the scalar, 32 bytes, clamped when it is used (RFC 7748 section 5). */
    static final class PrivateX25519 extends X25519Key implements XECPrivateKey {
        private static final long serialVersionUID = 1L;
        /** PrivateKeyInfo up to the key: version 0, id-X25519, OCTET STRING { OCTET STRING }. */
        private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b656e04220420");

        PrivateX25519(byte[] k) {
            super(k, PKCS8_PREFIX, "PKCS#8");
        }

        @Override
        public Optional<byte[]> getScalar() {
            return Optional.of(bytes.clone());
        }
    }

    public static final class Generator extends KeyPairGeneratorSpi {
        private SecureRandom random;

        @Override
        public void initialize(int keysize, SecureRandom random) {
            if (keysize != 255) {
                throw new java.security.InvalidParameterException("only X25519 (255 bits) here");
            }
            this.random = random;
        }

        @Override
        public void initialize(AlgorithmParameterSpec params, SecureRandom random)
                throws InvalidAlgorithmParameterException {
            if (!isX25519(params)) {
                throw new InvalidAlgorithmParameterException("only X25519 here");
            }
            this.random = random;
        }

        @Override
        public KeyPair generateKeyPair() {
            byte[] k = new byte[SIZE];
            byte[] u = new byte[SIZE];
            arithmetic().generate(random != null ? random : new SecureRandom(), k, u);
            KeyPair pair = new KeyPair(new PublicX25519(u), new PrivateX25519(k));
            Arrays.fill(k, (byte) 0);
            return pair;
        }
    }

    public static final class Factory extends KeyFactorySpi {
        @Override
        protected PublicKey engineGeneratePublic(KeySpec spec) throws InvalidKeySpecException {
            if (spec instanceof XECPublicKeySpec xec && isX25519(xec.getParams())) {
                return new PublicX25519(encodeU(xec.getU()));
            }
            throw new InvalidKeySpecException("only X25519 public key specs here");
        }

        @Override
        protected PrivateKey engineGeneratePrivate(KeySpec spec) throws InvalidKeySpecException {
            if (spec instanceof XECPrivateKeySpec xec && isX25519(xec.getParams()) && xec.getScalar().length == SIZE) {
                return new PrivateX25519(xec.getScalar());
            }
            throw new InvalidKeySpecException("only X25519 private key specs here");
        }

        @Override
        protected <T extends KeySpec> T engineGetKeySpec(Key key, Class<T> type) throws InvalidKeySpecException {
            if (key instanceof PublicX25519 pub && type.isAssignableFrom(XECPublicKeySpec.class)) {
                return type.cast(new XECPublicKeySpec(NamedParameterSpec.X25519, pub.getU()));
            }
            if (key instanceof PrivateX25519 priv && type.isAssignableFrom(XECPrivateKeySpec.class)) {
                return type.cast(new XECPrivateKeySpec(NamedParameterSpec.X25519, priv.getScalar().orElseThrow()));
            }
            throw new InvalidKeySpecException("only X25519 keys and XEC key specs here");
        }

        @Override
        protected Key engineTranslateKey(Key key) throws InvalidKeyException {
            try {
                if (key instanceof XECPublicKey pub && isX25519(pub.getParams())) {
                    return new PublicX25519(encodeU(pub.getU()));
                }
            } catch (InvalidKeySpecException e) {
                throw new InvalidKeyException(e.getMessage(), e);
            }
            if (key instanceof XECPrivateKey priv && isX25519(priv.getParams()) && priv.getScalar().isPresent()) {
                return new PrivateX25519(priv.getScalar().get());
            }
            throw new InvalidKeyException("only X25519 keys here");
        }
    }

    public static final class Agreement extends KeyAgreementSpi {
        private byte[] privateScalar;
        private byte[] secret;

        @Override
        protected void engineInit(Key key, SecureRandom random) throws InvalidKeyException {
            if (!(key instanceof XECPrivateKey priv) || !isX25519(priv.getParams()) || priv.getScalar().isEmpty()
                    || priv.getScalar().get().length != SIZE) {
                throw new InvalidKeyException("only X25519 private keys here");
            }
            privateScalar = priv.getScalar().get();
            secret = null;
        }

        @Override
        protected void engineInit(Key key, AlgorithmParameterSpec params, SecureRandom random)
                throws InvalidKeyException, InvalidAlgorithmParameterException {
            if (params != null && !isX25519(params)) {
                throw new InvalidAlgorithmParameterException("only X25519 here");
            }
            engineInit(key, random);
        }

        @Override
        protected Key engineDoPhase(Key key, boolean lastPhase) throws InvalidKeyException {
            if (privateScalar == null) {
                throw new IllegalStateException("not initialized");
            }
            if (!lastPhase) {
                throw new IllegalStateException("X25519 has one phase");
            }
            byte[] u;
            if (key instanceof PublicX25519 pub) {
                u = pub.u();
            } else if (key instanceof XECPublicKey pub && isX25519(pub.getParams())) {
                try {
                    u = encodeU(pub.getU());
                } catch (InvalidKeySpecException e) {
                    throw new InvalidKeyException(e.getMessage(), e);
                }
            } else {
                throw new InvalidKeyException("only X25519 public keys here");
            }
            byte[] shared = new byte[SIZE];
            if (!arithmetic().agree(privateScalar, u, shared)) {
                throw new InvalidKeyException("X25519 shared secret is all zeros (a small-order peer key)");
            }
            secret = shared;
            return null;
        }

        @Override
        protected byte[] engineGenerateSecret() {
            return take();
        }

        @Override
        protected int engineGenerateSecret(byte[] sharedSecret, int offset) throws ShortBufferException {
            if (secret == null) {
                throw new IllegalStateException("no phase done");
            }
            if (sharedSecret.length - offset < SIZE) {
                throw new ShortBufferException("need " + SIZE + " bytes");
            }
            byte[] out = take();
            System.arraycopy(out, 0, sharedSecret, offset, SIZE);
            return SIZE;
        }

        @Override
        protected SecretKey engineGenerateSecret(String algorithm) {
            return new SecretKeySpec(take(), algorithm);
        }

        /** The secret, once: the agreement then needs a new phase, as the JDK's does. */
        private byte[] take() {
            if (secret == null) {
                throw new IllegalStateException("no phase done");
            }
            byte[] out = secret;
            secret = null;
            return out;
        }
    }
}
