package org.mxpolicy.server;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.conscrypt.OpenSSLX25519PrivateKey;
import org.conscrypt.OpenSSLX25519PublicKey;

/**
 * X25519 in BoringSSL, through Conscrypt's native library: what nginx's OpenSSL does, in C.
 * Conscrypt's own keys do not implement the JDK's {@code XECPublicKey}, which JSSE needs, so
 * {@link FastX25519} keeps its key classes and hands BoringSSL the raw bytes.
 *
 * <p>Key pairs take their scalar from BoringSSL's random generator (seeded by the kernel), not
 * from the {@code SecureRandom} JSSE passes; both are cryptographically strong. BoringSSL leaves
 * the scalar unclamped, as the JDK's own generator does; X25519 clamps it where it is used
 * (RFC 7748 section 5). The copies Conscrypt makes are wiped here where they can be reached.
 */
final class BoringSslX25519 implements X25519Arithmetic {

    private final Provider conscrypt;
    private final String name;

    private BoringSslX25519(Provider conscrypt, String name) {
        this.conscrypt = conscrypt;
        this.name = name;
    }

    /**
     * BoringSSL's X25519, loading Conscrypt's native library on the first call.
     *
     * @throws LinkageError when it cannot load here
     */
    static BoringSslX25519 load() {
        return new BoringSslX25519(BoringSsl.provider(), BoringSsl.name());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void generate(SecureRandom random, byte[] k, byte[] u) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("XDH", conscrypt).generateKeyPair();
            OpenSSLX25519PrivateKey scalar = (OpenSSLX25519PrivateKey) pair.getPrivate();
            byte[] copy = scalar.getU();
            System.arraycopy(copy, 0, k, 0, SIZE);
            Arrays.fill(copy, (byte) 0);
            scalar.destroy();
            System.arraycopy(((OpenSSLX25519PublicKey) pair.getPublic()).getU(), 0, u, 0, SIZE);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Conscrypt offers no X25519 key pairs: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean agree(byte[] k, byte[] u, byte[] shared) {
        KeyAgreement agreement;
        try {
            agreement = KeyAgreement.getInstance("XDH", conscrypt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Conscrypt offers no X25519 agreement: " + e.getMessage(), e);
        }
        OpenSSLX25519PrivateKey scalar = new OpenSSLX25519PrivateKey(k);
        try {
            agreement.init(scalar);
            agreement.doPhase(new OpenSSLX25519PublicKey(u), true);
            agreement.generateSecret(shared, 0);
            return true;
        } catch (InvalidKeyException e) {
            // BoringSSL's X25519() refuses an all-zero result, and only that.
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Conscrypt's X25519 agreement failed: " + e.getMessage(), e);
        } finally {
            scalar.destroy();
        }
    }
}
