package org.mxpolicy.audit;

import java.util.List;
import org.mxpolicy.scan.RuleFinding;
import org.mxpolicy.scan.TlsScan;

/**
 * One address of an MX host, scanned on port 25 with STARTTLS and judged.
 *
 * @param findings the TLS rules judged for it, TR-03108 requirement by requirement
 */
public record MxAddress(TlsScan scan, List<RuleFinding> findings) {

    public MxAddress {
        findings = List.copyOf(findings);
    }
}
