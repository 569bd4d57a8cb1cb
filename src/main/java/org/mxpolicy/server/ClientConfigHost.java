package org.mxpolicy.server;

import java.util.Objects;
import org.mxpolicy.desired.HttpsHost.Kind;
import org.mxpolicy.desired.MailClientSettings;

/**
 * A host that hands mail clients their settings: {@code autoconfig.<domain>} (Thunderbird) or
 * {@code autodiscover.<domain>} (Outlook), with the certificate it presents.
 *
 * @param kind {@link Kind#AUTOCONFIG} or {@link Kind#AUTODISCOVER}
 */
public record ClientConfigHost(Kind kind, MailClientSettings settings, HostCertificate certificate) {

    public ClientConfigHost {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(certificate, "certificate");
        if (kind == Kind.POLICY) {
            throw new IllegalArgumentException(certificate.host() + ": a policy host is no client configuration host");
        }
        if (!certificate.host().equals(kind.host(settings.domain()))) {
            throw new IllegalArgumentException(
                    "certificate entry " + certificate.host() + " is not " + kind.host(settings.domain()));
        }
    }

    public String host() {
        return certificate.host();
    }
}
