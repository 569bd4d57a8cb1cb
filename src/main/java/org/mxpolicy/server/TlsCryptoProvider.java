package org.mxpolicy.server;

import java.security.Provider;
import java.security.Security;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JCA provider put first in the JVM's list when the HTTPS listener runs on JSSE, with the
 * services where the JDK's own make a TLS connection dearer than it need be: X25519 in BoringSSL
 * or on Bouncy Castle's arithmetic ({@link FastX25519}), the JDK's AES-GCM without the stack
 * traces JSSE provokes when it discards record keys ({@link QuietAesGcm}), and, where BoringSSL
 * loads, ECDSA signing with the hosts' EC keys ({@link BoringSslEcdsaSigner}). It offers nothing
 * else, so every other algorithm, X448, verification and RSA keys stay with the JDK's providers.
 */
final class TlsCryptoProvider extends Provider {

    static final String NAME = "mxpolicy-tls";
    private static final long serialVersionUID = 1L;

    private TlsCryptoProvider() {
        super(NAME, "1.0", "X25519 key exchange, AES-GCM and ECDSA signing for TLS");
        for (String algorithm : List.of("XDH", "X25519")) {
            putService(new Service(this, "KeyPairGenerator", algorithm, FastX25519.Generator.class.getName(), null, null));
            putService(new Service(this, "KeyFactory", algorithm, FastX25519.Factory.class.getName(), null, null));
            putService(new Service(this, "KeyAgreement", algorithm, FastX25519.Agreement.class.getName(), null, null));
        }
        // Raw key bytes only, as the JDK's AES: other keys (a token's) go to the providers after this.
        putService(new Service(this, "Cipher", QuietAesGcm.TRANSFORMATION, QuietAesGcm.class.getName(), null,
                Map.of("SupportedKeyFormats", "RAW")));
        if (BoringSsl.loads()) {
            // EC private keys only: the JCA gives public keys (verification) and RSA keys to the JDK's.
            BoringSslEcdsaSigner.ALGORITHMS.forEach((algorithm, signer) -> putService(new Service(this, "Signature",
                    algorithm, signer.getName(), null, Map.of("SupportedKeyClasses", ECPrivateKey.class.getName()))));
        }
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

    /**
     * What JSSE does through this provider, for the start message, e.g. {@code X25519 and ECDSA
     * signing in BoringSSL (Conscrypt 2.6.0)} or {@code X25519 in Bouncy Castle (Java)}; empty when
     * it is not installed.
     */
    static Optional<String> describe() {
        Provider installed = Security.getProvider(NAME);
        if (installed == null) {
            return Optional.empty();
        }
        String x25519 = FastX25519.arithmetic().name();
        // The JCA signs with the first provider whose service takes the key: ours, unless another
        // one put in front of it (Bouncy Castle's ECDSA of check, FastEcdsa) takes every key.
        Provider[] signers = Security.getProviders("Signature.SHA256withECDSA");
        if (installed.getService("Signature", "SHA256withECDSA") == null || signers == null || signers[0] != installed) {
            return Optional.of("X25519 in " + x25519);
        }
        String ecdsa = BoringSsl.name();
        return Optional.of(x25519.equals(ecdsa) ? "X25519 and ECDSA signing in " + ecdsa
                : "X25519 in " + x25519 + ", ECDSA signing in " + ecdsa);
    }

    /** Whether {@code security.provider.1} names the JDK's own provider first (or nothing). */
    static boolean jdkFirst(String configuredFirst) {
        return configuredFirst == null || configuredFirst.strip().equals("SUN");
    }
}
