package org.mxpolicy.rollover;

import java.nio.file.Path;
import java.security.KeyPair;
import org.mxpolicy.cert.CertificateRequest;
import org.mxpolicy.finding.MxpolicyException;

/** Where a host's next key and its certificate request are kept until a certificate for it is issued. */
public interface NextKeyStaging {

    /** Where a staged key and its request are. */
    record StagedKey(Path keyFile, Path csr) {}

    /** Keeps {@code key} (never in the state, which holds public keys only) and {@code request} for {@code host}. */
    StagedKey stageNext(String host, KeyPair key, CertificateRequest request) throws MxpolicyException;
}
