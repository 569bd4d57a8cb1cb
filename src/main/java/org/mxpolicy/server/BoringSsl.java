package org.mxpolicy.server;

import java.security.Provider;
import org.conscrypt.Conscrypt;

/**
 * Conscrypt's JCA provider, BoringSSL through its native library: loaded once per JVM, on first
 * use, for the TLS engine ({@link TlsEngine}) and for the services {@link TlsCryptoProvider}
 * hands to it. A provider instance, not registered: nothing else in the JVM starts using it.
 */
final class BoringSsl {

    private BoringSsl() {}

    private static final class Loaded {
        static final Provider PROVIDER;
        /** Why it does not load, kept: a class whose initializer failed gives no reason later. */
        static final Throwable PROBLEM;

        static {
            Provider provider = null;
            Throwable problem = null;
            try {
                Conscrypt.checkAvailability();
                provider = Conscrypt.newProviderBuilder().provideTrustManager(false).build();
            } catch (LinkageError | RuntimeException e) {
                problem = e;
            }
            PROVIDER = provider;
            PROBLEM = problem;
        }
    }

    /**
     * The provider.
     *
     * @throws UnsatisfiedLinkError when the native library cannot load here (no library for this
     *     platform, a glibc older than 2.35 (2.34 on arm64), a temporary directory mounted
     *     {@code noexec}), with the first attempt's message, on every call
     */
    static Provider provider() {
        if (Loaded.PROVIDER == null) {
            UnsatisfiedLinkError error = new UnsatisfiedLinkError(Loaded.PROBLEM.getMessage());
            error.initCause(Loaded.PROBLEM);
            throw error;
        }
        return Loaded.PROVIDER;
    }

    /** Whether the native library loads here. */
    static boolean loads() {
        return Loaded.PROVIDER != null;
    }

    /** Conscrypt's version, e.g. {@code 2.6.0}. */
    static String version() {
        provider();
        Conscrypt.Version version = Conscrypt.version();
        return version.major() + "." + version.minor() + "." + version.patch();
    }

    /** For the start message, e.g. {@code BoringSSL (Conscrypt 2.6.0)}. */
    static String name() {
        return "BoringSSL (Conscrypt " + version() + ")";
    }
}
