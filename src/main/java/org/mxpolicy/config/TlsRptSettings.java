package org.mxpolicy.config;

import java.util.List;
import org.mxpolicy.finding.SourcePosition;

/**
 * TLS-RPT (RFC 8460) settings: where reports go.
 *
 * @param rua report URIs as written; {@code mailto:} only unless {@code allowHttps}
 * @param allowHttps accept {@code https:} URIs (TR-03108-10-M forbids them; off by default)
 */
public record TlsRptSettings(List<Uri> rua, boolean allowHttps, SourcePosition position) {
    public TlsRptSettings {
        rua = List.copyOf(rua);
    }

    /** A report URI and where it was written. */
    public record Uri(String value, SourcePosition position) {}
}
