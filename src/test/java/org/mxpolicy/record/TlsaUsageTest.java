package org.mxpolicy.record;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TlsaUsageTest {

    @Test
    void smtpRefusesPkixUsages() {
        assertThat(TlsaUsage.refusalForSmtp(0))
                .hasValueSatisfying(why -> assertThat(why)
                        .contains("PKIX-TA")
                        .contains("SMTP clients do not use PKIX-TA/PKIX-EE")
                        .endsWith("publish usage 3 (DANE-EE) and/or 2 (DANE-TA) instead"));
        assertThat(TlsaUsage.refusalForSmtp(1))
                .hasValueSatisfying(why -> assertThat(why).contains("PKIX-EE"));
        assertThat(TlsaUsage.refusalForSmtp(4))
                .hasValueSatisfying(why -> assertThat(why).contains("not assigned"));
        assertThat(TlsaUsage.refusalForSmtp(2)).isEmpty();
        assertThat(TlsaUsage.refusalForSmtp(3)).isEmpty();
    }

    @Test
    void values() {
        assertThat(TlsaUsage.DANE_EE.value()).isEqualTo(3);
        assertThat(TlsaUsage.of(2)).contains(TlsaUsage.DANE_TA);
        assertThat(TlsaUsage.of(7)).isEmpty();
    }

    @Test
    void selectorWarning() {
        assertThat(TlsaUsage.selectorWarning())
                .isEqualTo("selector 0 ties the record to the whole certificate,"
                        + " so every renewal breaks it even when the key is kept; use selector 1");
    }
}
