package org.mxpolicy.desired;

import java.security.cert.X509Certificate;
import java.util.List;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.config.FileReference;
import org.mxpolicy.finding.InvalidInputException;

/**
 * Where the certificates and keys named in the config come from. The file-system adapter is
 * {@code files.CertificateFiles}; tests give certificates made in memory.
 */
public interface CertificateSource {

    /** The chain an MX host presents, leaf first. */
    CertificateChain chain(FileReference file) throws InvalidInputException;

    /** The public key of a key, public key or certificate file (a "next" key). */
    SubjectPublicKey publicKey(FileReference file) throws InvalidInputException;

    /** Every certificate in a file of CA certificates. */
    List<X509Certificate> certificates(FileReference file) throws InvalidInputException;
}
