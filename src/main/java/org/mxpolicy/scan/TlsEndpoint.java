package org.mxpolicy.scan;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One TLS endpoint to scan: the host name (sent as SNI, and the name of the endpoint in
 * reports), the address connected to, and how TLS starts there.
 *
 * @param host a DNS name, or the address itself when there is no name (then no SNI is sent)
 */
public record TlsEndpoint(String host, InetSocketAddress address, TlsStart start) {

    public TlsEndpoint {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(start, "start");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address " + address + " is not resolved");
        }
        host = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** {@code host[address]:port}, as in Postfix logs. */
    @Override
    public String toString() {
        return host + "[" + address.getAddress().getHostAddress() + "]:" + address.getPort();
    }
}
