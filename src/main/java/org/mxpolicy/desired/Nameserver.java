package org.mxpolicy.desired;

import java.util.List;
import org.mxpolicy.config.ServerAddress;

/** An authoritative server of a zone named in the config, by IP address or host name, not yet resolved. */
public record Nameserver(String host, int port) {

    public static List<Nameserver> of(List<ServerAddress> servers) {
        return servers.stream().map(s -> new Nameserver(s.host(), s.port())).toList();
    }
}
