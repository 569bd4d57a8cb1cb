package org.mxpolicy.rollover;

import org.mxpolicy.config.RolloverSettings.UnknownKeyAction;

/**
 * What to do after a certificate renewal of one MX host, from what is known about the renewed
 * key. Pure: {@link RenewalHook} observes and acts.
 */
public enum RenewalDecision {
    /** No state yet, and the renewed key's record is served everywhere: it becomes the current key of a new state. */
    ADOPT(true),
    /** The same key: the records are brought up to date (a new issuer's DANE-TA record), the MTA reloads. */
    PUBLISH_AND_RELOAD(true),
    /** The aged next key: the rollover completes (a new next key is staged and published), the MTA reloads. */
    ROLL_AND_RELOAD(true),
    /** Would break DANE: the previous certificate is put back from the ACME client's archive. */
    RESTORE(false),
    /** Would break DANE: the renewed key's record is published now; the MTA reloads later. */
    PUBLISH_WITHOUT_RELOAD(false),
    /** Would break DANE: nothing is changed. */
    REFUSE(false);

    private final boolean mtaMayReload;

    RenewalDecision(boolean mtaMayReload) {
        this.mtaMayReload = mtaMayReload;
    }

    /** Whether the MTA may load the renewed certificate afterwards. */
    public boolean mtaMayReload() {
        return mtaMayReload;
    }

    /**
     * A renewal of a host without a rollover state.
     *
     * @param served whether the renewed key's usage-3 record is served by every authoritative server and validates
     * @param restorable whether the previous certificate can be put back (the certificate is in a known lineage)
     */
    public static RenewalDecision withoutState(boolean served, UnknownKeyAction onUnknownKey, boolean restorable) {
        if (served) {
            return ADOPT;
        }
        return unsafe(onUnknownKey, restorable, true);
    }

    /** A renewal of a host with a rollover state, from what {@link RolloverMachine#renewed} made of it. */
    public static RenewalDecision of(
            RolloverMachine.Renewal renewal, UnknownKeyAction onUnknownKey, boolean restorable) {
        return switch (renewal) {
            case SAME_KEY -> PUBLISH_AND_RELOAD;
            case ROLLED -> ROLL_AND_RELOAD;
            // publishing a next key early would not make it safe: only an unknown key is published
            case NOT_AGED, PREVIOUS_STILL_LIVE -> unsafe(onUnknownKey, restorable, false);
            case UNKNOWN_KEY -> unsafe(onUnknownKey, restorable, true);
        };
    }

    private static RenewalDecision unsafe(UnknownKeyAction action, boolean restorable, boolean unknownKey) {
        if (action == UnknownKeyAction.RESTORE && restorable) {
            return RESTORE;
        }
        if (action == UnknownKeyAction.PUBLISH && unknownKey) {
            return PUBLISH_WITHOUT_RELOAD;
        }
        return REFUSE;
    }
}
