package org.mxpolicy.config;

import java.util.Objects;
import org.mxpolicy.finding.SourcePosition;

/**
 * The certificate chain and private key {@code mxpolicy serve} presents for one HTTPS host, as
 * named in the config.
 *
 * @param cert the chain (PEM, as an ACME client writes {@code fullchain.pem})
 * @param key the unencrypted private key of the chain's leaf
 * @param position the key in the config that holds both
 */
public record ServerCertificate(FileReference cert, FileReference key, SourcePosition position) {
    public ServerCertificate {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
    }
}
