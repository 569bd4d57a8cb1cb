package org.mxpolicy.apply;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.mxpolicy.config.ServerAddress;
import org.mxpolicy.finding.InvalidInputException;

/** A configured server as a socket address. */
public final class ServerAddresses {

    private ServerAddresses() {}

    /** A host name is resolved by the system, once. */
    public static InetSocketAddress resolve(ServerAddress server) throws InvalidInputException {
        try {
            return new InetSocketAddress(InetAddress.getByName(server.host()), server.port());
        } catch (UnknownHostException e) {
            throw new InvalidInputException(
                    "config.server-address",
                    server.position(),
                    "cannot resolve '" + server.host() + "'; give an IP address");
        }
    }
}
