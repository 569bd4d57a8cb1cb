package org.mxpolicy.scan;

/** The port through which an audit scans endpoints; {@link TlsScanner} is the real one. */
public interface EndpointScanner {

    /** Scans {@code endpoint}; network and TLS trouble are results, not exceptions. */
    TlsScan scan(TlsEndpoint endpoint) throws InterruptedException;
}
