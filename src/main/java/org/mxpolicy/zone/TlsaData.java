package org.mxpolicy.zone;

import java.util.Optional;
import org.mxpolicy.record.TlsaRecord;
import org.xbill.DNS.TLSARecord;

/** Between dnsjava's wire-level {@link TLSARecord} and the validated {@link TlsaRecord}. */
public final class TlsaData {

    private TlsaData() {}

    /**
     * The validated value of a record seen in the DNS, or empty when its fields are out of range
     * or its data has the wrong length for its matching type (such a record is unusable, RFC 7671
     * section 4).
     */
    public static Optional<TlsaRecord> of(TLSARecord record) {
        try {
            return Optional.of(new TlsaRecord(
                    record.getCertificateUsage(),
                    record.getSelector(),
                    record.getMatchingType(),
                    record.getCertificateAssociationData()));
        } catch (IllegalArgumentException unusable) {
            return Optional.empty();
        }
    }
}
