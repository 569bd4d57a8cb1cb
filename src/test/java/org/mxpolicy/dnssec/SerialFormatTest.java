package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SerialFormatTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void incrementAddsOneAndWrapsAround() {
        assertThat(SerialFormat.INCREMENT.next(2026010101L, NOW)).isEqualTo(2026010102L);
        assertThat(SerialFormat.INCREMENT.next(4294967295L, NOW)).isZero();
    }

    @Test
    void unixtimeTakesTheTimeOrAddsOneWhenTheSerialIsAhead() {
        long now = NOW.getEpochSecond();
        assertThat(SerialFormat.UNIXTIME.next(2026010101L, NOW)).isEqualTo(2026010101L + 1); // 2026010101 > now
        assertThat(SerialFormat.UNIXTIME.next(1000, NOW)).isEqualTo(now);
        assertThat(SerialFormat.UNIXTIME.next(now, NOW)).isEqualTo(now + 1);
    }

    @Test
    void dateTakesTodayTimesHundredOrAddsOne() {
        assertThat(SerialFormat.DATE.next(2026010101L, NOW)).isEqualTo(2026030200L);
        assertThat(SerialFormat.DATE.next(2026030200L, NOW)).isEqualTo(2026030201L);
        assertThat(SerialFormat.DATE.next(2026030299L, NOW)).isEqualTo(2026030300L);
        assertThat(SerialFormat.DATE.next(1, NOW)).isEqualTo(2026030200L);
    }

    @Test
    void comparesInSerialNumberArithmetic() {
        // RFC 1982 section 3.2: with 32-bit serials, 0 follows 4294967295.
        assertThat(SerialFormat.newer(0, 4294967295L)).isTrue();
        assertThat(SerialFormat.newer(4294967295L, 0)).isFalse();
        assertThat(SerialFormat.newer(5, 4)).isTrue();
        assertThat(SerialFormat.newer(4, 4)).isFalse();
        assertThat(SerialFormat.max(4294967290L, 3)).isEqualTo(3);
    }

    @Test
    void parsesWhatUsersType() {
        assertThat(SerialFormat.parse("Unixtime")).contains(SerialFormat.UNIXTIME);
        assertThat(SerialFormat.parse("keep")).isEmpty();
    }
}
