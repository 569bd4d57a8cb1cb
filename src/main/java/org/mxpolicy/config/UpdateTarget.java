package org.mxpolicy.config;

import java.util.Optional;
import org.mxpolicy.finding.SourcePosition;

/**
 * Where {@code publish} sends RFC 2136 updates for a zone whose DNS server signs it.
 *
 * @param server the zone's primary server
 * @param key the TSIG key file, in BIND {@code key "name" { algorithm ...; secret "..."; };} syntax
 * @param keyName which key of that file, when it holds more than one
 */
public record UpdateTarget(
        ServerAddress server, FileReference key, Optional<String> keyName, SourcePosition position) {}
