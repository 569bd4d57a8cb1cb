package org.mxpolicy.dnssec;

import java.security.Provider;
import java.util.Optional;

/**
 * Which implementation does the signature arithmetic of the signer and the verifier.
 *
 * <p>{@link #CONSCRYPT}: BoringSSL through Conscrypt's JNI provider, for ECDSA P-256 (algorithm
 * 13) and RSA/SHA-256 (algorithm 8); Ed25519 (15) goes through Bouncy Castle (Conscrypt offers
 * Ed25519 since 2.6, not yet used here). Measured on the 2-vCPU reference machine, one thread, 120-byte inputs,
 * Java 17 (Java 25 alike):
 *
 * <pre>
 *                      Bouncy Castle 1.87   Conscrypt 2.5.2 (BoringSSL)
 *   ECDSA P-256 sign      4,000-11,000/s          31,000-34,000/s
 *   ECDSA P-256 verify        12,500/s                17,000/s
 *   RSA-2048 sign                700/s                 1,600/s
 *   RSA-2048 verify           12,000/s                60,000/s
 * </pre>
 *
 * Conscrypt 2.6.0 against 2.5.2 later, side by side in one run on a busier machine: ECDSA P-256
 * 24,500-27,800 signatures/s against 23,200-23,400, RSA-2048 1,300-1,400 against 820-900;
 * verification alike.
 *
 * <p>The signing tools mxpolicy is compared with (ldns-signzone, dnssec-signzone, Knot) sign with
 * OpenSSL; with Bouncy Castle a whole-zone sign took three times as long as ldns-signzone's.
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
