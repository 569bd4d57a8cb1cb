package org.mxpolicy.server;

import java.util.Objects;

/**
 * A host that hands mail clients their settings: {@code autoconfig.<domain>} (Thunderbird) or
 * {@code autodiscover.<domain>} (Outlook), with the certificate it presents.
 */
public record ClientConfigHost(Kind kind, MailClientSettings settings, HostCertificate certificate) {

    /** The two client configuration protocols, each on a host of its own below the domain. */
    public enum Kind {
        /** Thunderbird Autoconfig: {@code GET /mail/config-v1.1.xml}. */
        AUTOCONFIG("autoconfig."),
        /** Outlook Autodiscover (POX): {@code POST /autodiscover/autodiscover.xml}. */
        AUTODISCOVER("autodiscover.");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        /** The host name of this protocol for a mail domain. */
        public String host(String domain) {
            return prefix + domain;
        }
    }

    public ClientConfigHost {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(certificate, "certificate");
        if (!certificate.host().equals(kind.host(settings.domain()))) {
            throw new IllegalArgumentException("certificate entry " + certificate.host() + " is not "
                    + kind.host(settings.domain()));
        }
    }

    public String host() {
        return certificate.host();
    }
}
