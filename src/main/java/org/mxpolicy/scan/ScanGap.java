package org.mxpolicy.scan;

import java.util.Objects;

/**
 * A probe of a scan that got no answer: its connections kept failing (timeout, reset, end of
 * stream, STARTTLS put off) after the retries, so what it would have found is missing, and the
 * rules that need it are not judged.
 *
 * @param probe which kind of probe
 * @param version the protocol version it probed, e.g. {@code TLSv1.2}
 * @param reason the last failure, e.g. {@code timed out}
 */
public record ScanGap(Probe probe, String version, String reason) {

    /** The steps of a scan, as {@link TlsScanner} runs them. */
    public enum Probe {
        /** Whether a version is accepted at all. */
        VERSION,
        /** The suites of a version and their order of preference. */
        SUITES,
        /** Whether the server keeps its own order. */
        CIPHER_ORDER,
        /** The key-exchange groups of a version. */
        GROUPS,
        /** The signature schemes of a version. */
        SIGNATURE_SCHEMES,
        /** The complete handshake for the certificate chain. */
        CHAIN
    }

    public ScanGap {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(reason, "reason");
    }

    /** E.g. {@code TLSv1.2 suites probe: timed out}. */
    public String describe() {
        return version + " " + probe.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " probe: " + reason;
    }
}
