package org.mxpolicy.rollover;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.cert.KeyType;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.rollover.RolloverMachine.Step;
import org.mxpolicy.rollover.RolloverState.KeyEntry;

/**
 * Times in rollover messages are printed to the second (ISO 8601, UTC), although the clock they
 * come from, and so the state, counts nanoseconds.
 */
class RolloverTimeTextTest {

    private static final Instant SERVED = Instant.parse("2026-12-07T19:44:03.123456789Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final String SECOND_PRECISION = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

    @Test
    void theGateOpensAtTheNextFullSecondAndIsShownWithoutAFraction() {
        RolloverGate gate = new RolloverGate(SERVED, HOUR, HOUR);

        assertThat(gate.describe(SERVED)).startsWith("opens at 2026-12-07T22:44:04Z (in ");
        assertThat(gate.describe(gate.opensAt())).isEqualTo("open since 2026-12-07T22:44:04Z");
    }

    @Test
    void messagesOfTheMachineShowTheServedTimeToTheSecond() {
        RolloverMachine machine = new RolloverMachine(Clock.fixed(SERVED, ZoneOffset.UTC), HOUR);
        RolloverState start = RolloverState.start("mx1.example.test", key(SERVED.minus(Duration.ofDays(90))), SERVED);
        RolloverState staged = machine.stage(start, key(SERVED), false).state();

        Step<?> first = machine.observePublication(staged, true, HOUR);
        Step<?> again = new RolloverMachine(Clock.fixed(SERVED.plusSeconds(60), ZoneOffset.UTC), HOUR)
                .observePublication(first.state(), true, HOUR);
        Step<?> early = new RolloverMachine(Clock.fixed(SERVED.plusSeconds(60), ZoneOffset.UTC), HOUR)
                .renewed(first.state(), first.state().next().orElseThrow().key().spki());

        assertThat(first.message()).contains("opens at 2026-12-07T22:44:04Z");
        assertThat(again.message()).contains("served everywhere since 2026-12-07T19:44:03Z;");
        assertThat(early.message()).contains("served only since 2026-12-07T19:44:03Z;");
        for (Step<?> step : new Step<?>[] {first, again, early}) {
            assertThat(step.message()).doesNotContain(".123").containsPattern(SECOND_PRECISION);
        }
    }

    private static KeyEntry key(Instant since) {
        return KeyEntry.of(
                new SubjectPublicKey(InMemoryPki.ec("secp256r1").getPublic().getEncoded(), KeyType.ECDSA, 256), since);
    }
}
