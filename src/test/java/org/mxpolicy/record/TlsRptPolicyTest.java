package org.mxpolicy.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TlsRptPolicyTest {

    @Test
    void txtValueListsEveryUriCommaSeparated() {
        TlsRptPolicy policy = new TlsRptPolicy(List.of("mailto:tlsrpt@example.com", "mailto:ops@example.net"));

        assertThat(policy.txtValue()).isEqualTo("v=TLSRPTv1; rua=mailto:tlsrpt@example.com,mailto:ops@example.net");
    }

    @Test
    void separatorsInsideAUriArePercentEncoded() {
        TlsRptPolicy policy = new TlsRptPolicy(List.of("mailto:a,b!c;d@example.com"));

        assertThat(policy.txtValue()).isEqualTo("v=TLSRPTv1; rua=mailto:a%2Cb%21c%3Bd@example.com");
    }

    @Test
    void unionKeepsFirstAppearanceOrderWithoutDuplicates() {
        TlsRptPolicy a = new TlsRptPolicy(List.of("mailto:a@example.com", "mailto:b@example.com"));
        TlsRptPolicy b = new TlsRptPolicy(List.of("mailto:b@example.com", "mailto:c@example.com"));

        assertThat(TlsRptPolicy.union(List.of(a, b)).rua())
                .containsExactly("mailto:a@example.com", "mailto:b@example.com", "mailto:c@example.com");
    }

    @Test
    void unknownSchemesAndEmptyPoliciesAreRefused() {
        assertThatThrownBy(() -> new TlsRptPolicy(List.of("ftp://example.com/")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TlsRptPolicy(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
