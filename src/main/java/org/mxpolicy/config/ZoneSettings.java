package org.mxpolicy.config;

import org.mxpolicy.finding.SourcePosition;

/**
 * Settings of one DNS zone mxpolicy writes into.
 *
 * @param name zone apex, lower case, no trailing dot
 * @param ttl default TTL of records in this zone (seconds)
 */
public record ZoneSettings(String name, long ttl, SourcePosition position) {
    public static final long DEFAULT_TTL = 3600;
}
