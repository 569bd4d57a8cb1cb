package org.mxpolicy.server;

import java.security.Provider;
import java.util.Optional;
import java.util.function.Supplier;
import org.conscrypt.Conscrypt;

/**
 * The TLS implementation of the policy listener: Conscrypt (BoringSSL through JNI) when its native
 * library loads on this machine, the JDK's own JSSE otherwise. With JSSE the server reached about
 * 0.4 of nginx's handshake rate and 0.5 of its keep-alive rate (bench/README.md); the key exchange
 * (X25519), the signature and AES-GCM run in native code with BoringSSL.
 *
 * <p>Conscrypt is used as a {@link Provider} instance handed to {@link ServerTls}, not registered
 * with {@link java.security.Security}: the rest of the program (DNSSEC, certificate checks, the
 * HTTPS client of {@code check}) keeps the JDK's providers and their behaviour.
 *
 * @param name what the server's start message says, e.g. {@code Conscrypt 2.5.2 (BoringSSL)}
 * @param provider the JSSE provider to build the {@code SSLContext} from; empty for the JDK's
 * @param fallbackReason why Conscrypt is not used, when it is not
 */
public record TlsEngine(String name, Optional<Provider> provider, Optional<String> fallbackReason) {

    /**
     * The system property that chooses the engine: {@code jsse} keeps to the JDK's JSSE,
     * {@code conscrypt} (the default) prefers Conscrypt. A way out should BoringSSL misbehave
     * somewhere.
     */
    public static final String PROPERTY = "mxpolicy.tls.engine";

    /** The JDK's JSSE, the fallback. */
    public static final TlsEngine JSSE = new TlsEngine("JSSE (JDK)", Optional.empty(), Optional.empty());

    private static final class Preferred {
        /** Loading the native library costs a few milliseconds; once per JVM is enough. */
        static final TlsEngine INSTANCE = choose(System.getProperty(PROPERTY, "conscrypt"), TlsEngine::conscrypt);
    }

    /**
     * Conscrypt when its native library loads here and {@value #PROPERTY} does not say
     * {@code jsse}; JSSE (with the reason) otherwise.
     */
    public static TlsEngine preferred() {
        return Preferred.INSTANCE;
    }

    /** The engine the value of {@value #PROPERTY} asks for. */
    static TlsEngine choose(String property, Supplier<TlsEngine> conscrypt) {
        return switch (property.toLowerCase(java.util.Locale.ROOT)) {
            case "jsse" -> new TlsEngine(JSSE.name(), Optional.empty(), Optional.of(PROPERTY + "=jsse"));
            case "conscrypt" -> load(conscrypt);
            default -> new TlsEngine(JSSE.name(), Optional.empty(),
                    Optional.of(PROPERTY + "=" + property + " is neither conscrypt nor jsse"));
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
            // UnsatisfiedLinkError: no native library for this OS or architecture, or a noexec
            // temporary directory it could not be unpacked to.
            return new TlsEngine(JSSE.name(), Optional.empty(),
                    Optional.of("Conscrypt's native library cannot load: " + e.getMessage()));
        }
    }

    private static TlsEngine conscrypt() {
        Conscrypt.checkAvailability();
        Conscrypt.Version version = Conscrypt.version();
        // Its trust manager is not wanted: the server asks for no client certificates.
        Provider provider = Conscrypt.newProviderBuilder().provideTrustManager(false).build();
        String name = "Conscrypt " + version.major() + "." + version.minor() + "." + version.patch() + " (BoringSSL)";
        return new TlsEngine(name, Optional.of(provider), Optional.empty());
    }

    /** A short description for the start message, with the reason of a fallback. */
    public String describe() {
        return fallbackReason.map(reason -> name + "; " + reason).orElse(name);
    }
}
