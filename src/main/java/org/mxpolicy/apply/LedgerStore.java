package org.mxpolicy.apply;

import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.plan.OwnershipLedger;

/** Where the {@link OwnershipLedger} is kept between runs. */
public interface LedgerStore {

    /** The ledger; empty when there is none yet (or no place to keep one). */
    OwnershipLedger load() throws MxpolicyException;

    /** Replaces the ledger; a crash leaves the previous one or this one. */
    void save(OwnershipLedger ledger) throws MxpolicyException;

    /** Whether {@link #save} keeps the ledger for the next run (false without a state directory). */
    boolean keeps();

    /** A store that keeps nothing: no state directory. */
    LedgerStore NONE = new LedgerStore() {
        @Override
        public OwnershipLedger load() {
            return OwnershipLedger.empty();
        }

        @Override
        public void save(OwnershipLedger ledger) {}

        @Override
        public boolean keeps() {
            return false;
        }
    };
}
