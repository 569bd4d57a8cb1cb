package org.mxpolicy.desired;

import java.util.List;

/**
 * A mail domain as the config wants it: its MX hosts and whether it asks for TLS reports.
 */
public record DesiredDomain(String name, List<String> mxHosts, boolean tlsReports) {

    public DesiredDomain {
        mxHosts = List.copyOf(mxHosts);
    }
}
