package org.mxpolicy.server;

import java.security.Provider;
import java.security.Security;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JCA provider put first in the JVM's list when the HTTPS listener runs on JSSE, with the
 * services where the JDK's own make a TLS connection dearer than it need be: X25519 in BoringSSL
 * or on Bouncy Castle's arithmetic ({@link FastX25519}), and the JDK's AES-GCM without the stack
 * traces JSSE provokes when it discards record keys ({@link QuietAesGcm}). It offers nothing
 * else, so every other algorithm, and X448, stays with the JDK's providers.
 */
final class TlsCryptoProvider extends Provider {

    static final String NAME = "mxpolicy-tls";
    private static final long serialVersionUID = 1L;

    private TlsCryptoProvider() {
        super(NAME, "1.0", "X25519 key exchange and AES-GCM for TLS");
        for (String algorithm : List.of("XDH", "X25519")) {
            putService(new Service(this, "KeyPairGenerator", algorithm, FastX25519.Generator.class.getName(), null, null));
            putService(new Service(this, "KeyFactory", algorithm, FastX25519.Factory.class.getName(), null, null));
            putService(new Service(this, "KeyAgreement", algorithm, FastX25519.Agreement.class.getName(), null, null));
        }
        // Raw key bytes only, as the JDK's AES: other keys (a token's) go to the providers after this.
        putService(new Service(this, "Cipher", QuietAesGcm.TRANSFORMATION, QuietAesGcm.class.getName(), null,
                Map.of("SupportedKeyFormats", "RAW")));
    }

    /**
     * Registers the provider at position 1 once; later calls do nothing. Not when the JVM's
     * configuration ({@code security.provider.1} in {@code java.security}) puts another provider
     * first than the JDK's own ({@code SUN}): someone has done that on purpose (a FIPS module, a
     * token), and keys and algorithms stay with it.
     */
    static synchronized void install() {
        if (Security.getProvider(NAME) != null || !jdkFirst(Security.getProperty("security.provider.1"))) {
            return;
        }
        FastX25519.arithmetic();
        Security.insertProviderAt(new TlsCryptoProvider(), 1);
    }

    /** Whose X25519 arithmetic JSSE uses through this provider; empty when it is not installed. */
    static Optional<String> x25519() {
        return Security.getProvider(NAME) == null ? Optional.empty() : Optional.of(FastX25519.arithmetic().name());
    }

    /** Whether {@code security.provider.1} names the JDK's own provider first (or nothing). */
    static boolean jdkFirst(String configuredFirst) {
        return configuredFirst == null || configuredFirst.strip().equals("SUN");
    }
}
