package org.mxpolicy.apply;

import org.mxpolicy.config.UpdateTarget;
import org.mxpolicy.dns.DynamicUpdate;
import org.mxpolicy.finding.InvalidInputException;

/** Opens the {@link DynamicUpdate} port towards a zone's primary, as its {@code update} settings say. */
@FunctionalInterface
public interface DynamicUpdates {

    /**
     * A connection to the zone's primary for RFC 2136 updates.
     *
     * @throws InvalidInputException when the server cannot be resolved or the TSIG key read
     */
    DynamicUpdate open(UpdateTarget target) throws InvalidInputException;
}
