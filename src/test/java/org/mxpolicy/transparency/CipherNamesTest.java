package org.mxpolicy.transparency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OpenSSL's suite names, as Postfix logs them, against the IANA registry's. */
class CipherNamesTest {

    @ParameterizedTest
    @CsvSource({
        "TLS_AES_256_GCM_SHA384, TLS_AES_256_GCM_SHA384",
        "ECDHE-ECDSA-AES128-GCM-SHA256, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "ECDHE-RSA-AES256-GCM-SHA384, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "DHE-RSA-AES256-GCM-SHA384, TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        "AES256-GCM-SHA384, TLS_RSA_WITH_AES_256_GCM_SHA384",
        "ECDHE-RSA-AES256-SHA384, TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        "ECDHE-RSA-AES128-SHA, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        "AES128-SHA, TLS_RSA_WITH_AES_128_CBC_SHA",
        "ECDHE-RSA-CHACHA20-POLY1305, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "DHE-RSA-AES128-CCM, TLS_DHE_RSA_WITH_AES_128_CCM",
        "ECDHE-ECDSA-AES256-CCM8, TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8",
        "ECDHE-ECDSA-CAMELLIA256-SHA384, TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384",
        "DES-CBC3-SHA, TLS_RSA_WITH_3DES_EDE_CBC_SHA"
    })
    void opensslNamesMapToIanaNames(String openssl, String iana) {
        assertThat(CipherNames.iana(openssl)).contains(iana);
    }

    @Test
    void anUnknownNameIsNotGuessed() {
        assertThat(CipherNames.iana("GOST2012-KUZNYECHIK-KUZNYECHIKOMAC")).isEmpty();
    }
}
