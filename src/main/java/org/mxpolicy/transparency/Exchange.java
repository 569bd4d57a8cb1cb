package org.mxpolicy.transparency;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One delivery attempt to one recipient, as the sending MTA logged it, with the TLS of the
 * connection it went over.
 *
 * @param date the day of the delivery line
 * @param domain the recipient's domain, lower case: the partner
 * @param relay the exchange as Postfix names it, {@code host[address]:port}
 * @param level how the connection was protected
 * @param protocol the TLS version ({@code TLSv1.3}), empty without TLS
 * @param cipher the cipher as Postfix logs it (OpenSSL's name), empty without TLS
 * @param delivered whether the partner accepted it ({@code status=sent}); deferred and bounced
 *     deliveries are counted apart
 */
public record Exchange(
        LocalDate date,
        String domain,
        String relay,
        TlsLevel level,
        Optional<String> protocol,
        Optional<String> cipher,
        boolean delivered) {

    public Exchange {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipher, "cipher");
    }
}
