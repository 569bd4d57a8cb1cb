package org.mxpolicy.check;

import java.time.Instant;

/**
 * When something a check looked at expires: a certificate (on disk or presented live) or the
 * earliest RRSIG of an RRset. Exported as a Prometheus gauge so alert rules can use their own
 * thresholds.
 *
 * @param kind {@code certificate} or {@code signature}
 * @param subject the host, or the RRset ({@code owner TYPE})
 * @param source {@code disk}, {@code live <address>}, or the server the signature came from
 */
public record Expiry(String kind, String subject, String source, Instant notAfter) {}
