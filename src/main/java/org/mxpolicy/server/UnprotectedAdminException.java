package org.mxpolicy.server;

/** The admin listener would be reachable from the network without TLS and passwords. Exit code 2: fix the config. */
public final class UnprotectedAdminException extends ServerException {

    public UnprotectedAdminException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return 2;
    }
}
