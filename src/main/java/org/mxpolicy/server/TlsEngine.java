package org.mxpolicy.server;

import java.security.Provider;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The TLS implementation of the policy listener: the JDK's own JSSE, or Conscrypt (BoringSSL
 * through JNI). With Conscrypt the key exchange (X25519), the signature and AES-GCM run in native
 * code, as in nginx with OpenSSL. JSSE's X25519 and ECDSA signing run in BoringSSL too
 * ({@link FastX25519}, {@link BoringSslEcdsaSigner}); since then bench/serve.sh measured less
 * CPU time per resumed connection with JSSE than with Conscrypt (529, 403 and 471 against 609,
 * 495 and 525 µs), and no clear winner for full handshakes (JSSE 859 and 1,071 µs, Conscrypt 1,071 and
 * 775 µs). Conscrypt takes about 150 MiB more memory; the keep-alive rates are close
 * (bench/README.md, docs/serve.md).
 *
 * <p>JSSE is the default because it is the only one of the two that chooses the TLS 1.3 suite in
 * the server's order (AES-256-GCM first, ChaCha20-Poly1305 last, see {@link ServerTls}).
 * BoringSSL takes the TLS 1.3 suite in the client's order and offers no setting for it; its
 * TLS 1.3 suites are the same three, all with forward secrecy and AEAD, and on TLS 1.2 the server's
 * order holds for both engines.
 *
 * <p>Conscrypt is used as a {@link Provider} instance handed to {@link ServerTls}, not registered
 * with {@link java.security.Security}: the rest of the program (DNSSEC, certificate checks, the
 * HTTPS client of {@code check}) keeps the JDK's providers and their behaviour.
 *
 * @param name what the server's start message says, e.g. {@code Conscrypt 2.6.0 (BoringSSL)}
 * @param provider the JSSE provider to build the {@code SSLContext} from; empty for the JDK's
 * @param fallbackReason why Conscrypt is not used although it was asked for
 */
public record TlsEngine(String name, Optional<Provider> provider, Optional<String> fallbackReason) {

    /** What the operator can ask for ({@code mxpolicy serve --tls-engine}). */
    public enum Choice {
        /** The JDK's JSSE. */
        JSSE,
        /** Conscrypt when its native library loads, JSSE otherwise. */
        CONSCRYPT
    }

    /** The JDK's JSSE. */
    public static final TlsEngine JSSE = new TlsEngine("JSSE (JDK)", Optional.empty(), Optional.empty());

    private static final class Conscrypted {
        /** Loading the native library takes a moment and cannot be undone; once per JVM. */
        static final TlsEngine INSTANCE = load(TlsEngine::conscrypt);
    }

    /** The engine for the choice; Conscrypt falls back to JSSE (with the reason) when it cannot load. */
    public static TlsEngine of(Choice choice) {
        return switch (choice) {
            case JSSE -> JSSE;
            case CONSCRYPT -> Conscrypted.INSTANCE;
        };
    }

    /**
     * The engine {@code conscrypt} gives, or JSSE with the reason when it throws.
     *
     * @param conscrypt loads the native library and builds the engine
     */
    static TlsEngine load(Supplier<TlsEngine> conscrypt) {
        try {
            return conscrypt.get();
        } catch (LinkageError | RuntimeException e) {
            // UnsatisfiedLinkError: no native library for this OS or architecture in the jar, or
            // a temporary directory it cannot be unpacked to or loaded from (noexec).
            return new TlsEngine(JSSE.name(), Optional.empty(),
                    Optional.of("Conscrypt's native library cannot load: " + e.getMessage()));
        }
    }

    private static TlsEngine conscrypt() {
        // Without its trust manager: the server asks for no client certificates.
        Provider provider = BoringSsl.provider();
        return new TlsEngine("Conscrypt " + BoringSsl.version() + " (BoringSSL)", Optional.of(provider), Optional.empty());
    }

    /**
     * A short description for the start message: the engine, on JSSE whose X25519 and ECDSA
     * signing it uses (see {@link TlsCryptoProvider}), and the reason of a fallback.
     */
    public String describe() {
        String engine = provider.isPresent() ? name
                : TlsCryptoProvider.describe().map(crypto -> name + ", " + crypto).orElse(name);
        return fallbackReason.map(reason -> engine + "; " + reason).orElse(engine);
    }
}
