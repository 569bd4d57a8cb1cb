package org.mxpolicy.transparency;

import java.util.Map;
import java.util.Optional;

/**
 * The IANA name of a cipher suite as Postfix logs it. Postfix logs OpenSSL's names: for TLS 1.3
 * these are the IANA names already ({@code TLS_AES_256_GCM_SHA384}); for TLS 1.2 and before they
 * are OpenSSL's own ({@code ECDHE-RSA-AES256-GCM-SHA384}), which follow a scheme: key exchange
 * and authentication, then the cipher with its key size and mode, then the MAC or PRF hash, with
 * static RSA key exchange left out. The rule sets name suites the IANA way.
 */
final class CipherNames {

    /** OpenSSL names that do not follow the scheme. */
    private static final Map<String, String> IRREGULAR = Map.of(
            "DES-CBC3-SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
            "ECDHE-RSA-DES-CBC3-SHA", "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
            "EDH-RSA-DES-CBC3-SHA", "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA",
            "RC4-SHA", "TLS_RSA_WITH_RC4_128_SHA",
            "RC4-MD5", "TLS_RSA_WITH_RC4_128_MD5");

    private static final String[] KEY_EXCHANGES = {
        "ECDHE-ECDSA-", "ECDHE-RSA-", "ECDHE-PSK-", "DHE-RSA-", "DHE-DSS-", "DHE-PSK-", "RSA-PSK-", "PSK-"
    };

    private CipherNames() {}

    /** The IANA name of {@code openssl}, or empty when it cannot be told. */
    static Optional<String> iana(String openssl) {
        if (openssl.startsWith("TLS_")) {
            return Optional.of(openssl);
        }
        String irregular = IRREGULAR.get(openssl);
        if (irregular != null) {
            return Optional.of(irregular);
        }
        String kx = "RSA";
        String rest = openssl;
        for (String prefix : KEY_EXCHANGES) {
            if (openssl.startsWith(prefix)) {
                kx = prefix.substring(0, prefix.length() - 1).replace('-', '_');
                rest = openssl.substring(prefix.length());
                break;
            }
        }
        String cipher;
        String mac;
        if (rest.equals("CHACHA20-POLY1305")) {
            return Optional.of("TLS_" + kx + "_WITH_CHACHA20_POLY1305_SHA256");
        }
        String[] parts = rest.split("-", -1);
        String algorithm = parts[0];
        String bulk = bulk(algorithm).orElse(null);
        if (bulk == null) {
            return Optional.empty();
        }
        if (parts.length == 2 && (parts[1].equals("CCM") || parts[1].equals("CCM8"))) {
            return Optional.of("TLS_" + kx + "_WITH_" + bulk + (parts[1].equals("CCM8") ? "_CCM_8" : "_CCM"));
        }
        if (parts.length == 3 && parts[1].equals("GCM")) {
            cipher = bulk + "_GCM";
            mac = parts[2];
        } else if (parts.length == 2) {
            cipher = bulk + "_CBC";
            mac = parts[1];
        } else {
            return Optional.empty();
        }
        if (!mac.equals("SHA") && !mac.equals("SHA256") && !mac.equals("SHA384")) {
            return Optional.empty();
        }
        return Optional.of("TLS_" + kx + "_WITH_" + cipher + "_" + mac);
    }

    /** {@code AES256} to {@code AES_256}, {@code CAMELLIA128} to {@code CAMELLIA_128}, {@code ARIA128}. */
    private static Optional<String> bulk(String algorithm) {
        for (String name : new String[] {"AES", "CAMELLIA", "ARIA"}) {
            if (algorithm.startsWith(name) && algorithm.length() > name.length()) {
                String bits = algorithm.substring(name.length());
                if (bits.equals("128") || bits.equals("256")) {
                    return Optional.of(name + "_" + bits);
                }
            }
        }
        return Optional.empty();
    }
}
