package org.mxpolicy.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.mxpolicy.finding.SourcePosition;

/**
 * How {@code mxpolicy serve} runs its HTTPS endpoint.
 *
 * @param tlsProfile the TLS versions, cipher suites and groups the endpoint offers; the exact
 *     lists of each profile are in {@code docs/serve.md}
 * @param statusCheck the JSON a cron job saves with {@code mxpolicy check --format json -o}: what
 *     the status pages of the admin listener show ({@code status_check})
 * @param staleAfter how old that JSON may be before the pages warn ({@code status_stale_after})
 * @param statusAudit the JSON a cron job saves with {@code mxpolicy audit --format json -o}: the
 *     TR-03108 view of the status pages ({@code status_audit})
 * @param adminCertificate the PEM certificate chain of the admin listener, which then speaks
 *     HTTPS ({@code admin_tls_certificate})
 * @param adminKey its private key ({@code admin_tls_key})
 * @param adminPasswords the file of {@code user:bcrypt-hash} lines the admin listener checks HTTP
 *     basic auth against ({@code admin_password_file})
 * @param position where the {@code serve} key is, or null for the defaults
 */
public record ServeSettings(
        TlsProfileChoice tlsProfile,
        Optional<FileReference> statusCheck,
        Duration staleAfter,
        Optional<FileReference> statusAudit,
        Optional<FileReference> adminCertificate,
        Optional<FileReference> adminKey,
        Optional<FileReference> adminPasswords,
        SourcePosition position) {

    /**
     * Twice the 10 minutes of the example check timer ({@code examples/mxpolicy-check.timer}): one
     * late or missed run is not yet stale, two are.
     */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(20);

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
        Objects.requireNonNull(statusCheck, "statusCheck");
        Objects.requireNonNull(staleAfter, "staleAfter");
        Objects.requireNonNull(statusAudit, "statusAudit");
        Objects.requireNonNull(adminCertificate, "adminCertificate");
        Objects.requireNonNull(adminKey, "adminKey");
        Objects.requireNonNull(adminPasswords, "adminPasswords");
    }

    /** A profile and nothing else: no status pages, a plain admin listener. */
    public ServeSettings(TlsProfileChoice tlsProfile, SourcePosition position) {
        this(
                tlsProfile,
                Optional.empty(),
                DEFAULT_STALE_AFTER,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                position);
    }

    public static ServeSettings defaults() {
        return new ServeSettings(TlsProfileChoice.BSI, null);
    }
}
