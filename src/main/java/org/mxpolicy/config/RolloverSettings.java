package org.mxpolicy.config;

import java.time.Duration;
import java.util.Optional;
import org.mxpolicy.finding.SourcePosition;

/**
 * How certificate rollovers are run ({@code rollover}, {@code renew-hook}).
 *
 * @param stateDir where each MX host's rollover state and staged keys live
 * @param margin added to twice the TTL window before a next key may go live
 * @param onUnknownKey what the renewal hook does when a renewed certificate carries a key whose
 *     record was never published
 * @param mtaReload the command that makes the MTA load a new certificate, run by the hook only
 *     when the certificate's key is published and aged; split on spaces, no shell
 */
public record RolloverSettings(
        FileReference stateDir,
        Duration margin,
        UnknownKeyAction onUnknownKey,
        Optional<String> mtaReload,
        SourcePosition position) {

    public static final String DEFAULT_STATE_DIR = "/var/lib/mxpolicy";
    public static final Duration DEFAULT_MARGIN = Duration.ofHours(1);

    /** What to do after a renewal that would break DANE. */
    public enum UnknownKeyAction {
        /** Put the previous certificate back from the lineage's archive; nothing breaks. */
        RESTORE,
        /** Publish the new key's record at once and do not reload the MTA until it has aged. */
        PUBLISH,
        /** Only report, and exit non-zero. */
        REFUSE;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static RolloverSettings defaults() {
        return new RolloverSettings(
                new FileReference(DEFAULT_STATE_DIR, null),
                DEFAULT_MARGIN,
                UnknownKeyAction.RESTORE,
                Optional.empty(),
                null);
    }
}
