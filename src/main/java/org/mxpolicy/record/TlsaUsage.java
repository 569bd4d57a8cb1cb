package org.mxpolicy.record;

import java.util.Arrays;
import java.util.Optional;

/**
 * The certificate usage field of a TLSA record (RFC 6698 section 2.1.1, acronyms from RFC 7218).
 * SMTP uses only DANE-TA and DANE-EE (RFC 7672 section 3.1.3).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6698#section-2.1.1">RFC 6698 section 2.1.1</a>
 */
public enum TlsaUsage {
    /** CA constraint, checked with PKIX validation as well. */
    PKIX_TA(0),
    /** Service certificate constraint, checked with PKIX validation as well. */
    PKIX_EE(1),
    /** Trust anchor assertion: the chain must lead to this CA; names and dates are checked. */
    DANE_TA(2),
    /** Domain-issued certificate: only the key (or certificate) must match. */
    DANE_EE(3);

    private final int value;

    TlsaUsage(int value) {
        this.value = value;
    }

    /** The number in the record. */
    public int value() {
        return value;
    }

    /** The usage with this number, if one is assigned. */
    public static Optional<TlsaUsage> of(int value) {
        return Arrays.stream(values()).filter(u -> u.value == value).findFirst();
    }

    /**
     * Why a usage must not be published for SMTP, if it must not: SMTP clients do not use
     * PKIX-TA and PKIX-EE records (RFC 7672 section 3.1.3), and unassigned usages are
     * unusable (RFC 6698 section 7.2).
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc7672#section-3.1.3">RFC 7672 section 3.1.3</a>
     */
    public static Optional<String> refusalForSmtp(int usage) {
        if (usage == PKIX_TA.value || usage == PKIX_EE.value) {
            return Optional.of("usage " + usage + " (" + (usage == 0 ? "PKIX-TA" : "PKIX-EE")
                    + "): SMTP clients do not use PKIX-TA/PKIX-EE (RFC 7672 section 3.1.3);"
                    + " publish usage 3 (DANE-EE) and/or 2 (DANE-TA) instead");
        }
        if (of(usage).isEmpty()) {
            return Optional.of("usage " + usage + " is not assigned (RFC 6698 section 7.2) and no client uses it;"
                    + " publish usage 3 (DANE-EE) and/or 2 (DANE-TA) instead");
        }
        return Optional.empty();
    }

    /**
     * Why selector 0 (full certificate) is a poor choice: a renewal changes the certificate even
     * when it keeps the key, so the record breaks with every renewal unless it is updated in time
     * (RFC 7671 section 5.1 recommends "3 1 1").
     *
     * @see <a href="https://www.rfc-editor.org/rfc/rfc7671#section-5.1">RFC 7671 section 5.1</a>
     */
    public static String selectorWarning() {
        return "selector 0 ties the record to the whole certificate, so every renewal breaks it even when the key"
                + " is kept; use selector 1";
    }
}
