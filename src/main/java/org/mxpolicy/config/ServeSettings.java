package org.mxpolicy.config;

import java.util.Locale;
import java.util.Objects;
import org.mxpolicy.finding.SourcePosition;

/**
 * How {@code mxpolicy serve} runs its HTTPS endpoint.
 *
 * @param tlsProfile the TLS versions, cipher suites and groups the endpoint offers; the exact
 *     lists of each profile are in {@code docs/serve.md}
 * @param position where the {@code serve} key is, or null for the defaults
 */
public record ServeSettings(TlsProfileChoice tlsProfile, SourcePosition position) {

    /** The TLS profile of the endpoint, by its config keyword. */
    public enum TlsProfileChoice {
        /**
         * Only what BSI TR-03116-4 allows: TLS 1.3 and 1.2 with AES-GCM suites, groups NIST P-256
         * and P-384. The default, since TR-03108 requires TR-03116-4 on every endpoint of a mail provider.
         */
        BSI,
        /** The BSI profile plus X25519 and ChaCha20-Poly1305, for clients that prefer them. */
        MODERN;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ServeSettings {
        Objects.requireNonNull(tlsProfile, "tlsProfile");
    }

    public static ServeSettings defaults() {
        return new ServeSettings(TlsProfileChoice.BSI, null);
    }
}
