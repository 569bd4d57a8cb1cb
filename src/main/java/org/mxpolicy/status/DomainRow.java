package org.mxpolicy.status;

import java.util.List;
import java.util.Objects;

/**
 * One row of the overview: a mail domain and how each part of its mail security stands.
 *
 * @param mx the MX hosts, their TLSA records and DANE as seen live
 * @param mtaSts the MTA-STS policy: mode and id in the text, {@link #served} whether the policy
 *     served is the one published
 * @param served {@code yes}, {@code no}, or {@code unknown} when the check could not tell
 * @param worst the worst finding's message, empty when every result is OK
 * @param mxHosts the MX host names, for links
 */
public record DomainRow(
        String name,
        Level level,
        Cell mx,
        Cell mtaSts,
        String served,
        Cell tlsRpt,
        Cell dnssec,
        String worst,
        List<String> mxHosts) {

    public DomainRow {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(level, "level");
        mxHosts = List.copyOf(mxHosts);
    }
}
