package org.mxpolicy.rollover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mxpolicy.config.RolloverSettings.UnknownKeyAction;
import org.mxpolicy.rollover.RolloverMachine.Renewal;

class RenewalDecisionTest {

    @ParameterizedTest
    @EnumSource(UnknownKeyAction.class)
    void aKeyWhoseRecordIsServedIsAdoptedWhateverTheAction(UnknownKeyAction action) {
        assertThat(RenewalDecision.withoutState(true, action, true)).isEqualTo(RenewalDecision.ADOPT);
        assertThat(RenewalDecision.ADOPT.mtaMayReload()).isTrue();
    }

    @Test
    void withoutStateAnUnservedKeyFollowsTheConfiguredAction() {
        assertThat(RenewalDecision.withoutState(false, UnknownKeyAction.RESTORE, true))
                .isEqualTo(RenewalDecision.RESTORE);
        assertThat(RenewalDecision.withoutState(false, UnknownKeyAction.PUBLISH, true))
                .isEqualTo(RenewalDecision.PUBLISH_WITHOUT_RELOAD);
        assertThat(RenewalDecision.withoutState(false, UnknownKeyAction.REFUSE, true))
                .isEqualTo(RenewalDecision.REFUSE);
    }

    @Test
    void restoreNeedsAnArchiveToRestoreFrom() {
        assertThat(RenewalDecision.withoutState(false, UnknownKeyAction.RESTORE, false))
                .isEqualTo(RenewalDecision.REFUSE);
        assertThat(RenewalDecision.of(Renewal.UNKNOWN_KEY, UnknownKeyAction.RESTORE, false))
                .isEqualTo(RenewalDecision.REFUSE);
    }

    @ParameterizedTest
    @EnumSource(UnknownKeyAction.class)
    void theSameKeyAndAnAgedNextKeyReloadWhateverTheAction(UnknownKeyAction action) {
        assertThat(RenewalDecision.of(Renewal.SAME_KEY, action, false)).isEqualTo(RenewalDecision.PUBLISH_AND_RELOAD);
        assertThat(RenewalDecision.of(Renewal.ROLLED, action, false)).isEqualTo(RenewalDecision.ROLL_AND_RELOAD);
        assertThat(RenewalDecision.PUBLISH_AND_RELOAD.mtaMayReload()).isTrue();
        assertThat(RenewalDecision.ROLL_AND_RELOAD.mtaMayReload()).isTrue();
    }

    @Test
    void anUnknownKeyIsRestoredPublishedOrRefused() {
        assertThat(RenewalDecision.of(Renewal.UNKNOWN_KEY, UnknownKeyAction.RESTORE, true))
                .isEqualTo(RenewalDecision.RESTORE);
        assertThat(RenewalDecision.of(Renewal.UNKNOWN_KEY, UnknownKeyAction.PUBLISH, true))
                .isEqualTo(RenewalDecision.PUBLISH_WITHOUT_RELOAD);
        assertThat(RenewalDecision.of(Renewal.UNKNOWN_KEY, UnknownKeyAction.REFUSE, true))
                .isEqualTo(RenewalDecision.REFUSE);
    }

    @Test
    void aNextKeyTooEarlyIsNeverPublishedAsIfUnknown() {
        for (Renewal early : new Renewal[] {Renewal.NOT_AGED, Renewal.PREVIOUS_STILL_LIVE}) {
            assertThat(RenewalDecision.of(early, UnknownKeyAction.PUBLISH, true))
                    .isEqualTo(RenewalDecision.REFUSE);
            assertThat(RenewalDecision.of(early, UnknownKeyAction.RESTORE, true))
                    .isEqualTo(RenewalDecision.RESTORE);
            assertThat(RenewalDecision.of(early, UnknownKeyAction.REFUSE, true)).isEqualTo(RenewalDecision.REFUSE);
        }
    }

    @Test
    void nothingThatBreaksDaneReloadsTheMta() {
        assertThat(RenewalDecision.RESTORE.mtaMayReload()).isFalse();
        assertThat(RenewalDecision.PUBLISH_WITHOUT_RELOAD.mtaMayReload()).isFalse();
        assertThat(RenewalDecision.REFUSE.mtaMayReload()).isFalse();
    }
}
