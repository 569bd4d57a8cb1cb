package org.mxpolicy.record;

import java.util.Locale;
import java.util.Optional;

/**
 * The policy modes of RFC 8461 section 3.2.
 */
public enum MtaStsMode {
    /** Senders refuse delivery to MX hosts that fail the policy. */
    ENFORCE,
    /** Senders deliver anyway but report failures (TLS-RPT). */
    TESTING,
    /** The domain withdraws its policy; senders drop what they cached. */
    NONE;

    /** The keyword as it appears in the policy file. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MtaStsMode> fromKeyword(String keyword) {
        for (MtaStsMode mode : values()) {
            if (mode.keyword().equals(keyword)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
