package org.mxpolicy.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.finding.VerificationFailedException;

/** Zones worked on together, results and failures in the zones' order. */
class ConcurrentZonesTest {

    private static final List<Integer> ZONES = IntStream.range(0, 200).boxed().toList();

    @Test
    void givesEachZonesResultInTheZonesOrder() throws Exception {
        List<String> results = ConcurrentZones.map(ZONES, zone -> "zone " + zone);

        assertThat(results)
                .containsExactlyElementsOf(
                        ZONES.stream().map(zone -> "zone " + zone).toList());
    }

    @Test
    void worksOnSeveralZonesAtOnce() throws Exception {
        // each of the first zones waits for another to start: only concurrent tasks get past
        CountDownLatch started = new CountDownLatch(2);
        List<Boolean> metAnother = ConcurrentZones.map(List.of(1, 2), zone -> {
            started.countDown();
            try {
                return started.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(metAnother).containsExactly(true, true);
    }

    @Test
    void throwsAZonesFailureAndStartsNoMoreZonesAfterIt() {
        Set<Integer> ran = ConcurrentHashMap.newKeySet();

        assertThatThrownBy(() -> ConcurrentZones.map(ZONES, zone -> {
                    ran.add(zone);
                    if (zone == 3) {
                        throw new VerificationFailedException(
                                "zone " + zone + " failed",
                                List.of(Finding.error("publish.test", SourcePosition.file("p.yaml"), "no")));
                    }
                    return zone;
                }))
                .isInstanceOf(VerificationFailedException.class)
                .hasMessage("zone 3 failed");
        // zones already running when 3 failed finish; the many after them are never started
        assertThat(ran).contains(3).hasSizeLessThan(ZONES.size());
    }

    @Test
    void zonesThatFailedWhileTheFirstFailureWasOnItsWayAreReportedToo() {
        // two zones in flight together, both failing: the second must not be lost behind the first
        CountDownLatch bothStarted = new CountDownLatch(2);

        assertThatThrownBy(() -> ConcurrentZones.map(List.of(1, 2), zone -> {
                    bothStarted.countDown();
                    try {
                        bothStarted.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    throw new VerificationFailedException(
                            "zone " + zone + ": update not applied",
                            List.of(Finding.error("publish.test", SourcePosition.file("zone" + zone), "refused")));
                }))
                .isInstanceOfSatisfying(
                        VerificationFailedException.class,
                        e -> assertThat(e.findings())
                                .extracting(f -> f.position().toString())
                                .containsExactly("zone1", "zone2"))
                .hasMessage("zone 1: update not applied, and 1 more zone(s) failed");
    }
}
