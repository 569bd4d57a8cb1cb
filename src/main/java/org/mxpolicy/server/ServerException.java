package org.mxpolicy.server;

import org.mxpolicy.finding.MxpolicyException;

/**
 * The server could not start or reload: a port is taken or not allowed, or no host is left on
 * reload. Exit code 1; no host to serve at start is {@link NoServableHostException} (2).
 */
public class ServerException extends MxpolicyException {

    public ServerException(String message, Throwable cause) {
        super(message, cause);
    }

    public ServerException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return 1;
    }
}
