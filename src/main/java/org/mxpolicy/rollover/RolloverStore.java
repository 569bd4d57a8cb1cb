package org.mxpolicy.rollover;

import java.util.Optional;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;

/**
 * Where the rollover state of each MX host is kept between runs. A state that cannot be read is
 * an error, never an empty state: starting over would forget a staged key or a retiring record
 * and could drop a record still in use.
 */
public interface RolloverStore {

    /**
     * The saved state of a host, or empty if none was ever saved.
     *
     * @throws InvalidInputException if the saved state is unreadable or damaged (exit 2)
     */
    Optional<RolloverState> load(String host) throws InvalidInputException;

    /**
     * Saves the state of its host so that a crash leaves either the previous or this state,
     * never a mixture.
     */
    void save(RolloverState state) throws MxpolicyException;
}
