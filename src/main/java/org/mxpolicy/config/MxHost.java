package org.mxpolicy.config;

import java.util.List;
import java.util.Optional;
import org.mxpolicy.finding.SourcePosition;

/**
 * An MX host of a mail domain and the certificate it presents.
 *
 * @param host host name, lower case, no trailing dot
 * @param port SMTP port the TLSA records are for (25)
 * @param cert path of the certificate chain file as written in the config (relative to the
 *     config file's directory)
 * @param nextKeys keys (or certificates) that will be used after the next renewal; their
 *     usage-3 records are published ahead of time
 * @param tlsa TLSA options
 */
public record MxHost(
        String host,
        int port,
        FileReference cert,
        List<FileReference> nextKeys,
        TlsaSettings tlsa,
        SourcePosition position) {
    public MxHost {
        nextKeys = List.copyOf(nextKeys);
    }

    public static final int DEFAULT_PORT = 25;

    public Optional<FileReference> firstNextKey() {
        return nextKeys.stream().findFirst();
    }
}
