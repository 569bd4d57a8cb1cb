package org.mxpolicy.config;

import java.util.List;
import java.util.Optional;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.record.MtaStsMode;

/**
 * MTA-STS (RFC 8461) settings of a mail domain.
 *
 * @param mode the policy mode
 * @param maxAge policy lifetime in seconds, 0..31557600
 * @param mx the policy's {@code mx} patterns as written (validated); empty means "the domain's
 *     MX hosts"
 * @param cert certificate chain for {@code mta-sts.<domain>} (used by the HTTPS server)
 * @param key private key for {@code mta-sts.<domain>} (used by the HTTPS server)
 */
public record MtaStsSettings(
        MtaStsMode mode,
        long maxAge,
        List<Pattern> mx,
        Optional<FileReference> cert,
        Optional<FileReference> key,
        SourcePosition position) {
    public static final long DEFAULT_MAX_AGE = 604800;

    public MtaStsSettings {
        mx = List.copyOf(mx);
    }

    /** An {@code mx} pattern and where it was written. */
    public record Pattern(String value, SourcePosition position) {}
}
