package org.mxpolicy.config;

import java.util.List;
import org.mxpolicy.finding.SourcePosition;

/**
 * TLSA options of an MX host.
 *
 * @param ttl TTL of the TLSA RRset; short, so a key change propagates quickly (TR-03108-05-M)
 * @param issuer publish 2 1 1 records for the issuer certificates in the served chain
 * @param extraIssuers further CA certificates to publish 2 1 1 records for (for example the
 *     CA's other intermediate, which a renewal may switch to)
 * @param selector 1 (SubjectPublicKeyInfo, the default) or 0 (full certificate)
 * @param matching 1 (SHA-256, the default), 2 (SHA-512) or 0 (full data)
 */
public record TlsaSettings(
        long ttl,
        boolean issuer,
        List<FileReference> extraIssuers,
        int selector,
        int matching,
        SourcePosition position) {
    public static final long DEFAULT_TTL = 600;

    public TlsaSettings {
        extraIssuers = List.copyOf(extraIssuers);
    }

    public static TlsaSettings defaults(SourcePosition position) {
        return new TlsaSettings(DEFAULT_TTL, true, List.of(), 1, 1, position);
    }
}
