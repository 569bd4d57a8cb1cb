package org.mxpolicy.audit;

import java.util.Objects;
import org.mxpolicy.scan.Encryption;
import org.mxpolicy.scan.TlsStart;

/**
 * One of a provider's own endpoints to audit beside its MX hosts, as its config names it: a
 * client service of RFC 6186 and RFC 8314, or an HTTPS host (Autoconfig, Autodiscover, the
 * MTA-STS policy host).
 *
 * @param service what it serves: a {@code client_services} key ({@code submissions},
 *     {@code imap}, ...), {@code autoconfig}, {@code autodiscover} or {@code mta-sts}
 * @param host the host name clients connect to
 * @param start implicit TLS, or the STARTTLS dialect of the protocol
 * @param requirement what it serves of TR-03108: 01-M for implicit TLS and the client
 *     configuration hosts, 02-R for STARTTLS, 07-R for the policy host
 */
public record OwnEndpoint(String service, String host, int port, TlsStart start, Requirement requirement) {

    public OwnEndpoint {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(requirement, "requirement");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 1..65535");
        }
        host = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    /** Whether it is a mail service over implicit TLS (RFC 8314), as 01-M wants offered. */
    public boolean implicitTlsMail() {
        return start == TlsStart.IMPLICIT && requirement == Requirement.CLIENT_TLS && port != 443;
    }

    /**
     * Implicit TLS is mandatory TLS: a client does not fall back to plaintext, so TR-03108 4.3.2's
     * allowance for versions and suites outside the profile does not apply. STARTTLS on the client
     * ports is what TR-03108 4.1.2 calls "Opportunistic TLS".
     */
    public Encryption encryption() {
        return start == TlsStart.IMPLICIT ? Encryption.MANDATORY : Encryption.OPPORTUNISTIC;
    }
}
