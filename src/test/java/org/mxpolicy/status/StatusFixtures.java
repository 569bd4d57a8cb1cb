package org.mxpolicy.status;

import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** The small check run under {@code src/test/resources/status/} and a fixed clock two hours after it. */
final class StatusFixtures {

    /** One hour after the fixture's check started. */
    static final Instant NOW = Instant.parse("2026-12-07T23:00:00Z");

    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private StatusFixtures() {}

    static StatusModel small() throws Exception {
        try (InputStream in = StatusFixtures.class.getResourceAsStream("/status/check-small.json")) {
            return new StatusModel(CheckJson.read(in, "check-small.json"));
        }
    }
}
