package org.mxpolicy.config;

/**
 * A DNS server named in the config: an IP address (IPv6 in brackets when a port follows) or a
 * host name, and a port.
 */
public record ServerAddress(String host, int port, org.mxpolicy.finding.SourcePosition position) {

    /** The DNS port, RFC 1035 section 4.2. */
    public static final int DNS_PORT = 53;

    /** {@code host:port}, with brackets around an IPv6 address. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
