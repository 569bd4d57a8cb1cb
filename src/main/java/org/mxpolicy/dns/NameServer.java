package org.mxpolicy.dns;

import java.net.InetSocketAddress;
import java.util.Objects;
import org.mxpolicy.finding.MessageText;

/**
 * One address of one authoritative server of a zone.
 *
 * @param name the server's host name from the NS RRset, or the address text when configured by
 *     address
 * @param address where to send queries (and updates)
 */
public record NameServer(String name, InetSocketAddress address) {
    public NameServer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
    }

    @Override
    public String toString() {
        String host =
                address.getAddress() == null ? address.getHostString() : MessageText.address(address.getAddress());
        String where = MessageText.address(address);
        return name.equals(host) ? where : name + " (" + where + ")";
    }
}
