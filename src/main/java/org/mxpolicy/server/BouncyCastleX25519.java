package org.mxpolicy.server;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * X25519 in Java, on Bouncy Castle's arithmetic: the public key from a fixed-base table, the
 * shared secret by a Montgomery ladder. Several times faster than the JDK's own
 * ({@code sun.security.ec.XECOperations}), which does a variable-base ladder for the key pair too.
 */
final class BouncyCastleX25519 implements X25519Arithmetic {

    BouncyCastleX25519() {
        // The fixed-base table, once, before the first key pair rather than during it.
        X25519.precompute();
    }

    @Override
    public String name() {
        return "Bouncy Castle (Java)";
    }

    @Override
    public void generate(SecureRandom random, byte[] k, byte[] u) {
        X25519.generatePrivateKey(random, k);
        X25519.generatePublicKey(k, 0, u, 0);
    }

    @Override
    public boolean agree(byte[] k, byte[] u, byte[] shared) {
        return X25519.calculateAgreement(k, 0, u, 0, shared, 0);
    }
}
