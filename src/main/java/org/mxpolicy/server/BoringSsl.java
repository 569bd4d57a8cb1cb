package org.mxpolicy.server;

import java.security.Provider;
import org.conscrypt.Conscrypt;

/**
 * Conscrypt's JCA provider, BoringSSL through its native library, for the services
 * {@link TlsCryptoProvider} hands to it: loaded once per JVM, on first use. A provider instance,
 * not registered: nothing else in the JVM starts using it.
 */
final class BoringSsl {

    private BoringSsl() {}

    private static final class Loaded {
        static final Provider PROVIDER = load();
    }

    /**
     * The provider.
     *
     * @throws LinkageError when the native library cannot load here (no library for this
     *     platform, a glibc older than 2.35 (2.34 on arm64), a temporary directory mounted {@code noexec}); again
     *     on every later call
     */
    static Provider provider() {
        return Loaded.PROVIDER;
    }

    /** Whether the native library loads here. */
    static boolean loads() {
        try {
            provider();
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    /** For the start message, e.g. {@code BoringSSL (Conscrypt 2.6.0)}. */
    static String name() {
        provider();
        Conscrypt.Version version = Conscrypt.version();
        return "BoringSSL (Conscrypt " + version.major() + "." + version.minor() + "." + version.patch() + ")";
    }

    private static Provider load() {
        Conscrypt.checkAvailability();
        return Conscrypt.newProviderBuilder().provideTrustManager(false).build();
    }
}
