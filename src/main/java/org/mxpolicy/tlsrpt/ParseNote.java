package org.mxpolicy.tlsrpt;

import java.util.Objects;

/**
 * A deviation from RFC 8460 that the parser accepted, such as a missing optional field the
 * RFC requires or a number sent as a string; kept with the report so nothing is fixed silently.
 *
 * @param path where in the report, such as {@code policies[0].failure-details[2].sending-mta-ip}
 * @param message what was found and what was made of it
 */
public record ParseNote(String path, String message) {

    public ParseNote {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
