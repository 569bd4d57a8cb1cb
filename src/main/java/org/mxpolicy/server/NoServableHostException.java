package org.mxpolicy.server;

/**
 * No host the config names can be served: none has a certificate and key, or every one has a
 * problem reported as a finding. Bad input, so exit code 2, as for a file that cannot be read.
 */
public final class NoServableHostException extends ServerException {

    public NoServableHostException(String message) {
        super(message);
    }

    @Override
    public int exitCode() {
        return 2;
    }
}
