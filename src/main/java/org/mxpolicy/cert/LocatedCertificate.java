package org.mxpolicy.cert;

import java.security.cert.X509Certificate;
import org.mxpolicy.finding.SourcePosition;

/** A certificate with the place in its file it was read from, for messages. */
record LocatedCertificate(X509Certificate certificate, SourcePosition position) {

    String subject() {
        return certificate.getSubjectX500Principal().getName();
    }

    /** {@code CN=foo (line 12)}, or just the subject for a DER file. */
    String describe() {
        return position.line() == 0 ? subject() : subject() + " (line " + position.line() + ")";
    }
}
