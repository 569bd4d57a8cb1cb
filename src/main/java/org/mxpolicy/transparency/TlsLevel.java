package org.mxpolicy.transparency;

import java.util.Optional;

/**
 * How a delivery to a partner was protected, in the words Postfix's SMTP client logs it with
 * ({@code smtp_tls_loglevel} 1 or more): the first word of "{@code %s TLS connection established
 * to %s: %s with cipher %s (%d/%d bits)}", or no TLS at all.
 *
 * @see <a href="https://www.postfix.org/TLS_README.html#client_tls_levels">Postfix TLS_README,
 *     client TLS security levels</a>
 */
public enum TlsLevel {
    /**
     * The server's certificate matched the policy's requirements: a DANE TLSA record (RFC 7672)
     * with {@code smtp_tls_security_level = dane}, or a verified PKIX chain with the peer name
     * checked (secure, verify, MTA-STS through a policy table).
     */
    VERIFIED("Verified", "authenticated"),
    /** A chain to a trusted CA, but the name was not checked (or did not match). */
    TRUSTED("Trusted", "encrypted, CA-signed, name not checked"),
    /** A certificate that was not verified: encrypted, not authenticated. */
    UNTRUSTED("Untrusted", "encrypted, not authenticated"),
    /** An anonymous cipher, no certificate at all. */
    ANONYMOUS("Anonymous", "encrypted, no certificate"),
    /** No TLS: the session stayed in cleartext. */
    PLAINTEXT("", "not encrypted");

    private final String postfixWord;
    private final String meaning;

    TlsLevel(String postfixWord, String meaning) {
        this.postfixWord = postfixWord;
        this.meaning = meaning;
    }

    /** The word Postfix logs; empty for {@link #PLAINTEXT}. */
    public String postfixWord() {
        return postfixWord;
    }

    /** What the level means for the mail, in a few words. */
    public String meaning() {
        return meaning;
    }

    /** The lower-case name used in JSON and the HTML report ({@code verified}, {@code plaintext}). */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The level Postfix names with {@code word}, if it is one. */
    public static Optional<TlsLevel> ofPostfixWord(String word) {
        for (TlsLevel level : values()) {
            if (level != PLAINTEXT && level.postfixWord.equals(word)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }
}
