package org.mxpolicy.probe;

import java.net.InetSocketAddress;

/**
 * Connects to an MX, says EHLO, asks for STARTTLS and completes the TLS handshake, recording
 * what it saw. It accepts any certificate: deciding whether the chain matches the TLSA records
 * is the check's job, and a probe that aborted on an unknown CA would see nothing.
 */
public interface SmtpProbe {

    /**
     * Probes {@code address}, sending {@code host} as SNI. Never throws for network or protocol
     * trouble: that is an observation with a problem.
     */
    SmtpObservation probe(String host, InetSocketAddress address);
}
