package org.mxpolicy.config;

import java.util.List;
import java.util.Optional;
import org.mxpolicy.finding.SourcePosition;

/** One mail domain (the right-hand side of addresses) and the policies it publishes. */
public record MailDomain(
        String name,
        List<MxHost> mx,
        Optional<MtaStsSettings> mtaSts,
        Optional<TlsRptSettings> tlsRpt,
        Optional<ClientServices> clientServices,
        SourcePosition position) {
    public MailDomain {
        mx = List.copyOf(mx);
    }
}
