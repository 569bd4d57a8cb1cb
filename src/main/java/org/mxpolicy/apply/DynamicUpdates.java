package org.mxpolicy.apply;

import org.mxpolicy.config.UpdateTarget;
import org.mxpolicy.dns.DynamicUpdate;
import org.mxpolicy.finding.InvalidInputException;

/** Opens the {@link DynamicUpdate} port towards a zone's primary, as its {@code update} settings say. */
@FunctionalInterface
public interface DynamicUpdates {

    /** @throws InvalidInputException when the server cannot be resolved or the TSIG key read */
    DynamicUpdate open(UpdateTarget target) throws InvalidInputException;
}
