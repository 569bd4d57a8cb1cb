package org.mxpolicy.status;

import java.time.Duration;
import java.time.Instant;

/**
 * When the data on a page was gathered and whether that is too long ago.
 *
 * @param gatheredAt when the check that wrote the data started
 * @param age how long ago that was, in words
 * @param stale whether the age exceeds the allowed one: the cron job stopped or fails
 * @param staleAfter the allowed age, in words
 */
public record Freshness(String gatheredAt, String age, boolean stale, String staleAfter) {

    public static Freshness of(Instant gathered, Instant now, Duration staleAfter) {
        Duration age = Duration.between(gathered, now);
        return new Freshness(
                Times.instant(gathered),
                Times.duration(age),
                age.compareTo(staleAfter) > 0,
                Times.duration(staleAfter));
    }
}
