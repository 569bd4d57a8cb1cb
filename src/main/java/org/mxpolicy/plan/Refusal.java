package org.mxpolicy.plan;

import org.mxpolicy.zone.RrsetChange;

/**
 * A planned change a safety rule does not allow, and why. A plan with a refusal is not applied
 * at all: a partial application could leave a worse state than either side.
 *
 * @param id stable id scripts can match on, such as {@code plan.drops-live-tlsa}
 */
public record Refusal(String id, RrsetChange change, String reason) {}
