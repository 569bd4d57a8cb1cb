package org.mxpolicy.check;

import java.time.Duration;

/**
 * Thresholds and limits of a check run.
 *
 * @param certificateWarning warn when a certificate expires within this
 * @param certificateCritical critical when a certificate expires within this (or has expired)
 * @param signatureWarning warn when an RRSIG of a published record or the DNSKEY set expires
 *     within this
 * @param signatureCritical critical when such an RRSIG expires within this
 * @param parallelism how many domains, hosts and zones are checked at once
 */
public record CheckSettings(
        Duration certificateWarning,
        Duration certificateCritical,
        Duration signatureWarning,
        Duration signatureCritical,
        int parallelism) {

    public static final Duration DEFAULT_CERTIFICATE_WARNING = Duration.ofDays(21);
    public static final Duration DEFAULT_CERTIFICATE_CRITICAL = Duration.ofDays(7);
    public static final Duration DEFAULT_SIGNATURE_WARNING = Duration.ofDays(3);
    public static final Duration DEFAULT_SIGNATURE_CRITICAL = Duration.ofDays(1);
    public static final int DEFAULT_PARALLELISM = 32;

    public CheckSettings {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
    }

    public static CheckSettings defaults() {
        return new CheckSettings(
                DEFAULT_CERTIFICATE_WARNING,
                DEFAULT_CERTIFICATE_CRITICAL,
                DEFAULT_SIGNATURE_WARNING,
                DEFAULT_SIGNATURE_CRITICAL,
                DEFAULT_PARALLELISM);
    }
}
