package org.mxpolicy.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MtaStsPolicyTest {

    @Test
    void textFollowsRfc8461WithCrlfAndSortedMxLines() {
        MtaStsPolicy policy =
                new MtaStsPolicy(MtaStsMode.ENFORCE, List.of("MX2.example.com.", "mx1.example.com"), 604800);

        assertThat(policy.text())
                .isEqualTo(
                        "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\nmax_age: 604800\r\n");
        assertThat(policy.text()).doesNotContain("\n\n").doesNotContainPattern("[^\r]\n");
    }

    @Test
    void idIsStableForTheSamePolicyWrittenDifferently() {
        MtaStsPolicy a = new MtaStsPolicy(MtaStsMode.ENFORCE, List.of("mx1.example.com", "mx2.example.com"), 86400);
        MtaStsPolicy b = new MtaStsPolicy(
                MtaStsMode.ENFORCE, List.of("MX2.EXAMPLE.COM", "mx1.example.com.", "mx1.example.com"), 86400);

        assertThat(a.id()).isEqualTo(b.id());
        assertThat(a.txtValue()).isEqualTo("v=STSv1; id=" + a.id());
    }

    @Test
    void anyChangeOfThePolicyChangesTheId() {
        MtaStsPolicy base = new MtaStsPolicy(MtaStsMode.ENFORCE, List.of("mx1.example.com"), 86400);

        assertThat(List.of(
                        new MtaStsPolicy(MtaStsMode.TESTING, List.of("mx1.example.com"), 86400),
                        new MtaStsPolicy(MtaStsMode.ENFORCE, List.of("mx1.example.com", "mx2.example.com"), 86400),
                        new MtaStsPolicy(MtaStsMode.ENFORCE, List.of("mx1.example.com"), 86401)))
                .extracting(MtaStsPolicy::id)
                .doesNotContain(base.id())
                .doesNotHaveDuplicates();
    }

    @Test
    void idIsOneToThirtyTwoLettersOrDigits() {
        String id = new MtaStsPolicy(MtaStsMode.NONE, List.of(), 0).id();

        assertThat(id).matches("[A-Za-z0-9]{1,32}");
    }

    @Test
    void maxAgeOutsideTheRfcRangeIsRefused() {
        assertThatThrownBy(() -> new MtaStsPolicy(MtaStsMode.ENFORCE, List.of("mx.example.com"), 31557601))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("31557600");
        assertThatThrownBy(() -> new MtaStsPolicy(MtaStsMode.ENFORCE, List.of("mx.example.com"), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void enforcingPolicyNeedsAnMxPattern() {
        assertThatThrownBy(() -> new MtaStsPolicy(MtaStsMode.ENFORCE, List.of(), 86400))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mx pattern");
    }

    @Test
    void uncoveredListsTheHostsNoPatternMatches() {
        MtaStsPolicy policy = new MtaStsPolicy(MtaStsMode.ENFORCE, List.of("*.example.net", "mx.example.org"), 86400);

        assertThat(policy.uncovered(List.of("mx1.example.net", "a.b.example.net", "mx.example.org", "example.net")))
                .containsExactly("a.b.example.net", "example.net");
    }
}
