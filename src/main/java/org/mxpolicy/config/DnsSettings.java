package org.mxpolicy.config;

import java.util.List;
import java.util.Optional;
import org.mxpolicy.finding.SourcePosition;

/**
 * How {@code check} and {@code publish} look things up in the DNS.
 *
 * @param resolvers recursive resolvers to ask; empty means the system's ({@code /etc/resolv.conf})
 * @param trustAnchors DS or DNSKEY records in presentation format to validate from; empty means
 *     the root zone's published key-signing keys. Lab and test zones need their own.
 * @param trustAnchorFile a file of such records (for example unbound's or BIND's anchor file)
 */
public record DnsSettings(
        List<ServerAddress> resolvers,
        List<String> trustAnchors,
        Optional<FileReference> trustAnchorFile,
        SourcePosition position) {

    public DnsSettings {
        resolvers = List.copyOf(resolvers);
        trustAnchors = List.copyOf(trustAnchors);
    }

    public static DnsSettings defaults() {
        return new DnsSettings(List.of(), List.of(), Optional.empty(), null);
    }
}
