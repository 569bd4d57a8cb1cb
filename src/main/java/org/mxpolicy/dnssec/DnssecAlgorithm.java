package org.mxpolicy.dnssec;

import java.util.Locale;
import java.util.Optional;

/**
 * The DNSSEC signing algorithms mxpolicy makes and uses keys for (IANA "DNS Security Algorithm
 * Numbers"; RFC 8624 section 3.1 lists them as MUST or RECOMMENDED for signing).
 */
public enum DnssecAlgorithm {
    /** RSA/SHA-256, RFC 5702; keys of 2048 bits or more. */
    RSASHA256(8, "RSASHA256"),
    /** ECDSA P-256 with SHA-256, RFC 6605: small signatures, the default. */
    ECDSAP256SHA256(13, "ECDSAP256SHA256"),
    /** Ed25519, RFC 8080. */
    ED25519(15, "ED25519");

    private final int number;
    private final String mnemonic;

    DnssecAlgorithm(int number, String mnemonic) {
        this.number = number;
        this.mnemonic = mnemonic;
    }

    /** The algorithm number in DNSKEY, RRSIG and DS records. */
    public int number() {
        return number;
    }

    /** The mnemonic used in key files and on the command line. */
    public String mnemonic() {
        return mnemonic;
    }

    public static Optional<DnssecAlgorithm> byNumber(int number) {
        for (DnssecAlgorithm a : values()) {
            if (a.number == number) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** By mnemonic (case-insensitive) or number, as users type it. */
    public static Optional<DnssecAlgorithm> parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        for (DnssecAlgorithm a : values()) {
            if (a.mnemonic.equals(t) || Integer.toString(a.number).equals(t)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
