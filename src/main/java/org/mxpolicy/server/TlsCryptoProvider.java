package org.mxpolicy.server;

import java.security.Provider;
import java.security.Security;
import java.util.List;

/**
 * The JCA provider put first in the JVM's list when the HTTPS listener runs on JSSE, with the
 * services where the JDK's own make a TLS connection dearer than it need be: X25519 on Bouncy
 * Castle's arithmetic ({@link FastX25519}) and the JDK's AES-GCM without the stack traces JSSE
 * provokes when it discards record keys ({@link QuietAesGcm}). It offers nothing else, so every
 * other algorithm, and X448, stays with the JDK's providers.
 */
final class TlsCryptoProvider extends Provider {

    static final String NAME = "mxpolicy-tls";
    private static final long serialVersionUID = 1L;

    private TlsCryptoProvider() {
        super(NAME, "1.0", "X25519 key exchange (Bouncy Castle arithmetic) and AES-GCM for TLS");
        for (String algorithm : List.of("XDH", "X25519")) {
            putService(new Service(this, "KeyPairGenerator", algorithm, FastX25519.Generator.class.getName(), null, null));
            putService(new Service(this, "KeyFactory", algorithm, FastX25519.Factory.class.getName(), null, null));
            putService(new Service(this, "KeyAgreement", algorithm, FastX25519.Agreement.class.getName(), null, null));
        }
        putService(new Service(this, "Cipher", QuietAesGcm.TRANSFORMATION, QuietAesGcm.class.getName(), null, null));
    }

    /** Registers the provider at position 1 once; later calls do nothing. */
    static synchronized void install() {
        if (Security.getProvider(NAME) != null) {
            return;
        }
        FastX25519.precompute();
        Security.insertProviderAt(new TlsCryptoProvider(), 1);
    }
}
