package org.mxpolicy.dnssec;

import java.security.Provider;
import java.util.Optional;

/**
 * Which implementation does the signature arithmetic of the signer and the verifier.
 *
 * <p>{@link #CONSCRYPT}: BoringSSL through Conscrypt's JNI provider, for ECDSA P-256 (algorithm
 * 13) and RSA/SHA-256 (algorithm 8); Ed25519 (15) goes through Bouncy Castle. It signs several
 * times faster than Bouncy Castle, and the tools mxpolicy is compared with (ldns-signzone,
 * dnssec-signzone, Knot) sign with OpenSSL (figures in bench/README.md, "Signing providers").
 *
 * <p>{@link #BOUNCY_CASTLE}: Bouncy Castle's lightweight API for everything; what is used where
 * Conscrypt's native library does not load (an operating system or architecture it has no library
 * for, or Linux with a glibc older than 2.35, 2.34 on arm64). Its ECDSA signatures use RFC 6979
 * deterministic nonces, BoringSSL's random ones: validators cannot tell the two apart, but only
 * Bouncy Castle gives the same bytes for the same data twice.
 *
 * <p>Conscrypt is used as a provider instance, never registered in the JVM, so that TLS and the
 * rest of the program keep the JDK's providers.
 */
public enum SignatureProvider {
    CONSCRYPT,
    BOUNCY_CASTLE;

    /** Conscrypt when its native library loads here, Bouncy Castle otherwise. */
    public static SignatureProvider preferred() {
        return Native.PROVIDER != null ? CONSCRYPT : BOUNCY_CASTLE;
    }

    /** Why Conscrypt cannot be used here; empty when it can. */
    public static Optional<String> conscryptUnavailable() {
        return Optional.ofNullable(Native.PROBLEM);
    }

    /**
     * The Conscrypt provider instance.
     *
     * @throws IllegalStateException when its native library did not load
     */
    static Provider conscrypt() {
        if (Native.PROVIDER == null) {
            throw new IllegalStateException("Conscrypt is not available: " + Native.PROBLEM);
        }
        return Native.PROVIDER;
    }

    /** Loaded on first use only: loading extracts and links a native library, which other commands need not pay for. */
    private static final class Native {
        static final Provider PROVIDER;
        static final String PROBLEM;

        static {
            Provider provider = null;
            String problem = null;
            try {
                org.conscrypt.Conscrypt.checkAvailability();
                provider = org.conscrypt.Conscrypt.newProvider();
            } catch (LinkageError | RuntimeException e) {
                // UnsatisfiedLinkError (no library for this platform), NoClassDefFoundError (no jar).
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                problem = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            }
            PROVIDER = provider;
            PROBLEM = problem;
        }
    }
}
