package org.mxpolicy.audit;

import java.util.List;
import java.util.Optional;
import org.mxpolicy.scan.RuleFinding;
import org.mxpolicy.scan.TlsScan;

/**
 * One of the provider's own endpoints beside the MX: a client port (submission, IMAP, POP3) or
 * an HTTPS host (Autoconfig, Autodiscover, an MTA-STS policy host), scanned and judged.
 *
 * @param service what it serves, e.g. {@code submissions}, {@code imap}, {@code autoconfig}
 * @param subject {@code host[address]:port}, or {@code host:port} when it has no address
 * @param scan the TLS scan, when the host had an address to scan
 * @param findings the rules judged for it, TR-03108 requirement by requirement
 */
public record ClientEndpoint(String service, String subject, Optional<TlsScan> scan, List<RuleFinding> findings) {

    public ClientEndpoint {
        findings = List.copyOf(findings);
    }
}
