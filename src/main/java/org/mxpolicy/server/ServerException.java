package org.mxpolicy.server;

import org.mxpolicy.finding.MxpolicyException;

/**
 * The server could not start or reload: a port is taken or not allowed, no host can be served,
 * or the new key material cannot be used. Exit code 1.
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
