package org.mxpolicy.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;
import org.mxpolicy.status.StatusSite;

/**
 * The admin listener: where it listens, and, off loopback, its TLS key material and the
 * passwords it asks for; the status pages it serves besides {@code /healthz} and {@code /metrics}.
 *
 * @param tls the certificate the listener presents; HTTPS when present, plain HTTP otherwise
 * @param passwords the users HTTP basic auth accepts; none asked for when empty
 * @param status the status pages; only health and metrics when empty
 */
public record AdminSettings(
        ListenAddress address,
        Optional<HostCertificate> tls,
        Optional<AdminPasswords> passwords,
        Optional<StatusSite> status) {

    public AdminSettings {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(passwords, "passwords");
        Objects.requireNonNull(status, "status");
    }

    /** Plain HTTP, no passwords, no status pages: for loopback. */
    public static AdminSettings plain(ListenAddress address) {
        return new AdminSettings(address, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The same listener with other status pages. */
    public AdminSettings withStatus(StatusSite site) {
        return new AdminSettings(address, tls, passwords, Optional.of(site));
    }

    /**
     * Refuses a listener off loopback that lacks TLS or passwords: the status pages and metrics
     * would be open to anyone who reaches the port, and basic auth would cross the network in clear.
     */
    public void requireProtected() throws UnprotectedAdminException {
        if (isLoopback(address.host())) {
            return;
        }
        if (tls.isEmpty() || passwords.isEmpty()) {
            throw new UnprotectedAdminException("the admin listener on " + address
                    + " is not on loopback, so it needs TLS and passwords: set serve.admin_tls_certificate,"
                    + " serve.admin_tls_key and serve.admin_password_file in the config, or listen on 127.0.0.1");
        }
    }

    /** Only address literals of loopback count; a name could resolve to anything. */
    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
