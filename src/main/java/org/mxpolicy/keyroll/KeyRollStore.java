package org.mxpolicy.keyroll;

import java.util.Optional;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;

/** Where each zone's {@link KeyRollState} is kept between runs of {@code keys run}. */
public interface KeyRollStore {

    /**
     * The saved state of a zone, or empty if none was ever saved.
     *
     * @throws InvalidInputException if it is unreadable, damaged or not trusted (exit 2)
     */
    Optional<KeyRollState> load(String zone) throws InvalidInputException;

    /** Saves the state so that a crash leaves either the previous or this one. */
    void save(KeyRollState state) throws MxpolicyException;
}
