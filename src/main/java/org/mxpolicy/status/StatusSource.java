package org.mxpolicy.status;

import java.util.Optional;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.rollover.RolloverState;

/**
 * Where the status pages get their data: the saved check run, the saved audit and the rollover
 * states. Reading
 * them is the adapter's business ({@code files.StatusFiles}); a page never probes the network.
 */
public interface StatusSource {

    /**
     * The model of the last saved check run, read again only when the file changed; empty when
     * no file is there yet.
     *
     * @throws InvalidInputException when the file is there but is not a check run's JSON
     */
    Optional<StatusModel> check() throws InvalidInputException;

    /** The rollover state of an MX host, if rollovers are configured and it has one. */
    Optional<RolloverState> rollover(String host) throws InvalidInputException;

    /**
     * The TR-03108 tables of the last saved audit, read again only when the file changed; empty
     * when no audit file is configured or none is there yet.
     *
     * @throws InvalidInputException when the file is there but is not an audit's JSON
     */
    default Optional<AuditRun> audit() throws InvalidInputException {
        return Optional.empty();
    }

    /**
     * The DNSSEC keys of {@code zone} as the last {@code keys run} left them, when the zone has a
     * key policy; {@code now} is when the waits are judged.
     */
    default Optional<ZoneKeys> keys(String zone, java.time.Instant now) throws InvalidInputException {
        return Optional.empty();
    }

    /** Where the check run is read from, for the page that says none is there. */
    String checkLocation();
}
