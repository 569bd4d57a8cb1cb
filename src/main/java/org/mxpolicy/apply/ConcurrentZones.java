package org.mxpolicy.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.VerificationFailedException;

/**
 * One task per zone, a few zones at a time. Each zone's queries and updates wait on the network
 * most of the time, and zones do not depend on each other, so a provider's thousands of zones are
 * planned, updated and verified together rather than one after the other.
 */
final class ConcurrentZones {

    /** Zones in flight at once: enough to keep a primary busy, few enough not to flood it. */
    static final int PARALLELISM = 16;

    /** What is done for one zone. */
    @FunctionalInterface
    interface ZoneTask<Z, T> {
        T run(Z zone) throws MxpolicyException;
    }

    private ConcurrentZones() {}

    /**
     * The task's result for each zone, in the zones' order. Once a task fails, zones not yet started
     * are not started; the failure of the first zone (in the given order) that failed is thrown,
     * with the findings of every other zone that failed meanwhile.
     */
    static <Z, T> List<T> map(List<Z> zones, ZoneTask<Z, T> task) throws MxpolicyException {
        if (zones.size() < 2) {
            List<T> results = new ArrayList<>();
            for (Z zone : zones) {
                results.add(task.run(zone));
            }
            return results;
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLELISM, zones.size()), r -> {
            Thread t = new Thread(r, "zone-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        AtomicBoolean failed = new AtomicBoolean();
        try {
            List<Future<Outcome<T>>> futures = new ArrayList<>();
            for (Z zone : zones) {
                futures.add(pool.submit(() -> {
                    if (failed.get()) {
                        return new Outcome<T>(null, null);
                    }
                    try {
                        return new Outcome<>(task.run(zone), null);
                    } catch (MxpolicyException | RuntimeException e) {
                        failed.set(true);
                        return new Outcome<T>(null, e);
                    }
                }));
            }
            List<T> results = new ArrayList<>();
            List<Exception> failures = new ArrayList<>();
            for (Future<Outcome<T>> future : futures) {
                Outcome<T> outcome = future.get();
                if (outcome.failure() != null) {
                    failures.add(outcome.failure());
                }
                results.add(outcome.result());
            }
            Exception first = failures.isEmpty() ? null : failures.get(0);
            if (failures.size() > 1 && failures.stream().allMatch(f -> f instanceof VerificationFailedException)) {
                // zones in flight when the first failed went on, and may have failed too: say all
                List<Finding> findings = new ArrayList<>();
                failures.forEach(f -> findings.addAll(((VerificationFailedException) f).findings()));
                throw new VerificationFailedException(
                        first.getMessage() + ", and " + (failures.size() - 1) + " more zone(s) failed", findings);
            }
            if (first instanceof MxpolicyException e) {
                throw e;
            }
            if (first instanceof RuntimeException e) {
                throw e;
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerificationFailedException("interrupted", List.of());
        } catch (ExecutionException e) {
            throw new IllegalStateException("a zone task failed unexpectedly", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private record Outcome<T>(T result, Exception failure) {}
}
