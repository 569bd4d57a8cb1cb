package org.mxpolicy.cert;

/** The kinds of public key accepted for the certificates and keys DANE records pin. */
public enum KeyType {
    /** RSA, 2048 bits or more (RFC 8017). */
    RSA("RSA"),
    /** ECDSA on a named curve (RFC 5480). */
    ECDSA("ECDSA"),
    /** EdDSA on edwards25519 (RFC 8410). */
    ED25519("Ed25519"),
    /** EdDSA on edwards448 (RFC 8410). */
    ED448("Ed448");

    private final String displayName;

    KeyType(String displayName) {
        this.displayName = displayName;
    }

    /** The name people write: {@code RSA}, {@code ECDSA}, {@code Ed25519}, {@code Ed448}. */
    public String displayName() {
        return displayName;
    }
}
