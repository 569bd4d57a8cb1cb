package org.mxpolicy.plan;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What happens to one owned RRset the config no longer produces, and by which rule: deleted now,
 * or held back (kept, or replaced as a withdrawal requires) until {@code proceeds}, or for as long
 * as the condition in {@code reason} lasts when there is no date.
 *
 * @param rule the rule's stable id, such as {@code retire.tlsa-named-by-mx}
 * @param held true when the RRset stays this time
 */
public record Retirement(String rule, RrsetKey rrset, boolean held, Optional<Instant> proceeds, String reason) {

    public Retirement {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(rrset, "rrset");
        Objects.requireNonNull(proceeds, "proceeds");
        Objects.requireNonNull(reason, "reason");
    }
}
