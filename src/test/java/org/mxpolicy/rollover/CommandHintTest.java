package org.mxpolicy.rollover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mxpolicy.config.ProviderConfig;

class CommandHintTest {

    @Test
    void aHintNamesTheConfigItWasRunWith() {
        ProviderConfig config = new ProviderConfig("/etc/mxpolicy/provider.yaml", Map.of(), List.of());

        assertThat(CommandHint.of(config, "rollover status", "--mx", "mx1.example.com"))
                .isEqualTo("mxpolicy rollover status -c /etc/mxpolicy/provider.yaml --mx mx1.example.com");
    }

    @Test
    void wordsTheShellWouldSplitOrExpandAreQuoted() {
        ProviderConfig config = new ProviderConfig("my configs/it's $HOME.yaml", Map.of(), List.of());

        assertThat(CommandHint.of(config, "renew-hook"))
                .isEqualTo("mxpolicy renew-hook -c 'my configs/it'\\''s $HOME.yaml'");
    }
}
