package org.mxpolicy.audit;

import java.util.List;
import org.mxpolicy.scan.RuleFinding;

/**
 * One host of a domain's MX RRset.
 *
 * @param name the exchange, without the trailing dot
 * @param preference its MX preference
 * @param findings about the host itself: its address lookup
 * @param addresses every IPv4 and IPv6 address of it, each scanned
 */
public record MxHost(String name, int preference, List<RuleFinding> findings, List<MxAddress> addresses) {

    public MxHost {
        findings = List.copyOf(findings);
        addresses = List.copyOf(addresses);
    }
}
