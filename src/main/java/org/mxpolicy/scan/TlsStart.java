package org.mxpolicy.scan;

/** How TLS starts on an endpoint: at once, or after a plaintext command. */
public enum TlsStart {
    /** TLS from the first byte (465, 993, 995, 443). */
    IMPLICIT,
    /** SMTP {@code STARTTLS} after {@code EHLO} (RFC 3207; ports 25, 587). */
    SMTP,
    /** IMAP {@code STARTTLS} (RFC 9051 section 6.2.1; port 143). */
    IMAP,
    /** POP3 {@code STLS} (RFC 2595 section 4; port 110). */
    POP3
}
