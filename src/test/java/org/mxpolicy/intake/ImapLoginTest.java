package org.mxpolicy.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImapLoginTest {

    @Test
    void theUserIsTheFirstLineAndThePasswordTheSecondSpacesIncluded() {
        ImapLogin login = ImapLogin.parse("tlsrpt@example.com\r\n pass word \n");

        assertThat(login.user()).isEqualTo("tlsrpt@example.com");
        assertThat(login.password()).isEqualTo(" pass word ");
    }

    @Test
    void aFileWithoutBothLinesIsRefusedWithoutShowingThePassword() {
        assertThatThrownBy(() -> ImapLogin.parse("tlsrpt@example.com\n"))
                .hasMessageContaining("the user on its first line and the password on its second, found 1 line");
        assertThatThrownBy(() -> ImapLogin.parse("tlsrpt@example.com\nsecret\nmore\n"))
                .hasMessageContaining("more than two lines")
                .hasMessageNotContaining("secret");
        assertThat(ImapLogin.parse("u\nsecret").toString()).doesNotContain("secret");
    }
}
