package org.mxpolicy.status;

/**
 * A key of an MX host's rollover and the TLSA record that stands for it.
 *
 * @param role {@code current}, {@code next} or {@code retiring}
 * @param record the usage-3 record's data, {@code 3 1 1 <sha256>}
 * @param state what the key's record does now (published, aging until ..., kept until ...)
 */
public record KeyRow(String role, String description, String shortId, String record, String since, String state) {}
