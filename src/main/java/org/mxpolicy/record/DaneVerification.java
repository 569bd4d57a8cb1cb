package org.mxpolicy.record;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.cert.HostNames;

/**
 * Whether a certificate chain a server presented is authenticated by a TLSA RRset, as an SMTP
 * client does it (RFC 7672 section 3.1): DANE-EE(3) records match the leaf alone, without name or
 * validity checks; DANE-TA(2) records match a CA certificate of the chain, which the leaf must
 * chain up to and whose leaf must carry the MX host name; PKIX-TA(0) and PKIX-EE(1) records are
 * unusable in SMTP and never match.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7672#section-3.1">RFC 7672 section 3.1</a>
 */
public final class DaneVerification {

    private DaneVerification() {}

    /**
     * The record that authenticates {@code chain} (leaf first) for {@code host}, or empty.
     * DANE-EE matches are preferred, as a client tries them first.
     */
    public static Optional<TlsaRecord> match(List<TlsaRecord> records, List<X509Certificate> chain, String host) {
        if (chain.isEmpty()) {
            return Optional.empty();
        }
        X509Certificate leaf = chain.get(0);
        for (TlsaRecord r : records) {
            if (r.usage() == TlsaUsage.DANE_EE.value() && matches(r, leaf)) {
                return Optional.of(r);
            }
        }
        for (TlsaRecord r : records) {
            if (r.usage() != TlsaUsage.DANE_TA.value()) {
                continue;
            }
            for (int i = 1; i < chain.size(); i++) {
                if (matches(r, chain.get(i)) && chainsUpTo(chain, i) && HostNames.covers(leaf, host)) {
                    return Optional.of(r);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether {@code record}'s data is that of {@code cert} under its selector and matching type. */
    public static boolean matches(TlsaRecord record, X509Certificate cert) {
        if (record.selector() > TlsaRecord.SELECTOR_SPKI || record.matching() > TlsaRecord.MATCHING_SHA512) {
            return false;
        }
        return TlsaRecord.of(record.usage(), record.selector(), record.matching(), cert)
                .equals(record);
    }

    /** Each certificate up to index {@code anchor} is signed by the next one. */
    private static boolean chainsUpTo(List<X509Certificate> chain, int anchor) {
        for (int i = 0; i < anchor; i++) {
            try {
                chain.get(i).verify(chain.get(i + 1).getPublicKey());
            } catch (GeneralSecurityException | RuntimeException e) {
                return false;
            }
        }
        return true;
    }
}
