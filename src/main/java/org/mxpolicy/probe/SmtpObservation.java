package org.mxpolicy.probe;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What one SMTP STARTTLS probe of one address of an MX saw.
 *
 * @param host the MX host name (what SNI was sent for)
 * @param address the address connected to
 * @param greeting the first line of the server's greeting (220, or the refusal that came
 *     instead), when it got that far
 * @param starttlsOffered whether the EHLO response listed STARTTLS
 * @param protocol negotiated TLS protocol ({@code TLSv1.3}), when the handshake completed
 * @param cipherSuite negotiated cipher suite, when the handshake completed
 * @param forwardSecret whether the cipher suite's key exchange is ephemeral (always in TLS 1.3)
 * @param chain the certificates the server sent, leaf first, unverified
 * @param problem connection refused, timeout, no 220, STARTTLS refused, handshake failure;
 *     empty when the handshake completed
 */
public record SmtpObservation(
        String host,
        InetSocketAddress address,
        Optional<String> greeting,
        boolean starttlsOffered,
        Optional<String> protocol,
        Optional<String> cipherSuite,
        boolean forwardSecret,
        List<X509Certificate> chain,
        Optional<String> problem) {

    public SmtpObservation {
        chain = List.copyOf(chain);
    }

    /** The TLS handshake completed. */
    public boolean tlsEstablished() {
        return problem.isEmpty() && protocol.isPresent();
    }
}
