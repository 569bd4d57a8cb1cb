package org.mxpolicy.scan;

/** Whose order of cipher suites decides a handshake. */
public enum CipherOrder {
    /** The server picks its own favourite of what the client offers. */
    SERVER,
    /** The server takes the client's first acceptable suite. */
    CLIENT,
    /** Not known: the server accepts only one suite in that version. */
    ONE_SUITE
}
