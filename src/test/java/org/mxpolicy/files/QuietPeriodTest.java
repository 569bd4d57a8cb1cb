package org.mxpolicy.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QuietPeriodTest {

    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void nothingIsDueWithoutAChange() {
        QuietPeriod quiet = new QuietPeriod(Duration.ofSeconds(1));
        assertThat(quiet.due(T0.plusSeconds(60))).isFalse();
        assertThat(quiet.remaining(T0)).isEmpty();
    }

    @Test
    void aBurstOfChangesIsDueOnceAfterTheLastOneHasSettled() {
        QuietPeriod quiet = new QuietPeriod(Duration.ofSeconds(1));
        quiet.changed(T0);
        quiet.changed(T0.plusMillis(300)); // the key, right after the certificate
        quiet.changed(T0.plusMillis(900));

        assertThat(quiet.due(T0.plusMillis(1000)))
                .as("1 s after the first change, 0.1 s after the last")
                .isFalse();
        assertThat(quiet.remaining(T0.plusMillis(1000))).hasValue(Duration.ofMillis(900));
        assertThat(quiet.due(T0.plusMillis(1900))).isTrue();
        assertThat(quiet.due(T0.plusMillis(1901))).as("once per burst").isFalse();
        assertThat(quiet.remaining(T0.plusMillis(1901))).isEmpty();
    }

    @Test
    void anOverdueChangeHasNoTimeLeft() {
        QuietPeriod quiet = new QuietPeriod(Duration.ofSeconds(1));
        quiet.changed(T0);
        assertThat(quiet.remaining(T0.plusSeconds(5))).hasValue(Duration.ZERO);
    }
}
