package org.mxpolicy.keyroll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.check.CheckResult;
import org.mxpolicy.check.CheckStatus;

class KeyCheckTest {

    @Test
    void pendingCdsIsOkUntilTheWarningTimeThenAWarning() {
        KeyWorld w = new KeyWorld(KeyWorld.policy(true));
        w.run(); // the first key asks for its DS by CDS
        assertThat(KeyCheck.results(KeyWorld.ZONE, w.policy, w.keys, w.now))
                .extracting(CheckResult::status, CheckResult::id)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(CheckStatus.OK, "keys.ds-pending"));
        w.advance(Duration.ofDays(7));
        assertThat(KeyCheck.results(KeyWorld.ZONE, w.policy, w.keys, w.now))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.status()).isEqualTo(CheckStatus.WARNING);
                    assertThat(r.id()).isEqualTo("keys.cds-unanswered");
                    assertThat(r.message())
                            .contains("the parent (test) has not served the DS it asks for within 7 days");
                });
    }

    @Test
    void aKeyPastItsLifetimeWithoutSuccessorIsAWarning() {
        KeyWorld w = new KeyWorld(KeyWorld.policy(false));
        w.run();
        w.parentDs = Optional.of(w.cds());
        w.advance(Duration.ofSeconds(1));
        w.run();
        w.advance(Duration.ofDays(30));
        assertThat(KeyCheck.results(KeyWorld.ZONE, w.policy, w.keys, w.now))
                .extracting(CheckResult::id)
                .containsExactly("keys.past-lifetime");
        // once keys run has published the successor, the rollover is under way
        w.run();
        assertThat(KeyCheck.results(KeyWorld.ZONE, w.policy, w.keys, w.now)).isEmpty();
    }
}
