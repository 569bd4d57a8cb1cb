package org.mxpolicy.cert;

import java.security.Provider;
import java.security.Security;

/**
 * Puts Bouncy Castle's ECDSA signature verification first in the JVM's provider list, and only
 * that. dnsjava's DNSSEC validator asks the JCA for {@code SHA256withECDSA} with no way to name a
 * provider; on Java 17 the JDK's SunEC takes 1.4 to 2.3 ms per P-256 verification, Bouncy Castle
 * about 0.15 ms, and a check of many domains makes thousands of them (bench/README.md). Everything
 * else (key factories, key agreement, TLS) stays with the JDK's providers.
 */
public final class FastEcdsa {

    static final String NAME = "mxpolicy-ecdsa";

    private FastEcdsa() {}

    /** Registers the provider at position 1 once; later calls do nothing. */
    public static synchronized void preferForVerification() {
        if (Security.getProvider(NAME) != null) {
            return;
        }
        Security.insertProviderAt(new EcdsaProvider(), 1);
    }

    private static final class EcdsaProvider extends Provider {
        private static final long serialVersionUID = 1L;
        private static final String SPI = "org.bouncycastle.jcajce.provider.asymmetric.ec.SignatureSpi$";

        EcdsaProvider() {
            super(NAME, "1.0", "Bouncy Castle ECDSA signatures (SHA-256, SHA-384) for DNSSEC validation");
            putService(new Service(this, "Signature", "SHA256withECDSA", SPI + "ecDSA256", null, null));
            putService(new Service(this, "Signature", "SHA384withECDSA", SPI + "ecDSA384", null, null));
        }
    }
}
