package org.mxpolicy.rollover;

import java.nio.file.Path;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.finding.MxpolicyException;

/** The earlier certificates an ACME client keeps (certbot's archive), from which a rejected renewal is undone. */
public interface CertificateHistory {

    /** The directory the MTA's certificate files are in. */
    Path liveDir();

    /**
     * Puts back the newest earlier certificate with {@code key} or, when none has it, the one before
     * the current; returns what was done, in a word.
     */
    String restoreKey(SubjectPublicKey key) throws MxpolicyException;

    /** Puts back the certificate before the current one; returns what was done, in a word. */
    String restoreEarlier() throws MxpolicyException;
}
