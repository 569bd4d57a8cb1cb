package org.mxpolicy.server;

import java.time.Duration;

/**
 * Bounds that keep slow or oversized clients from tying up the server. A policy request is one
 * short line and a few headers, and the answer a few hundred bytes, so the limits are tight.
 *
 * @param requestHeaderBytes largest request line plus headers; larger gets 431
 * @param idleTimeout a connection with no bytes moving for this long is closed
 * @param requestTimeout a connection is closed when a whole request (the TLS handshake, headers and
 *     body) has not arrived this long after the connection opened or its previous answer was sent:
 *     a client trickling a byte now and then keeps the idle timeout from firing, not this one
 * @param maxConnections connections open at once; beyond that, new ones wait in the kernel backlog
 * @param maxThreads request threads of the policy listener
 * @param stopTimeout how long shutdown waits for connections to finish
 */
public record ServerLimits(
        int requestHeaderBytes,
        Duration idleTimeout,
        Duration requestTimeout,
        int maxConnections,
        int maxThreads,
        Duration stopTimeout) {

    /** 8 KiB of headers, 10 s idle, 20 s per request, 1000 connections, 32 threads, 5 s to stop. */
    public static final ServerLimits DEFAULT =
            new ServerLimits(8 * 1024, Duration.ofSeconds(10), Duration.ofSeconds(20), 1000, 32, Duration.ofSeconds(5));

    public ServerLimits {
        if (requestHeaderBytes < 1024) {
            throw new IllegalArgumentException("request header limit below 1 KiB");
        }
        if (idleTimeout.isNegative()
                || idleTimeout.isZero()
                || requestTimeout.isNegative()
                || requestTimeout.isZero()
                || stopTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxConnections < 1 || maxThreads < 8) {
            throw new IllegalArgumentException("need at least 1 connection and 8 threads");
        }
    }

    /** These limits with another request timeout. */
    public ServerLimits withRequestTimeout(Duration timeout) {
        return new ServerLimits(requestHeaderBytes, idleTimeout, timeout, maxConnections, maxThreads, stopTimeout);
    }
}
