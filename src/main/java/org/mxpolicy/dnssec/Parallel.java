package org.mxpolicy.dnssec;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs independent work items (one per RRset) on a pool of its own, sized by the caller, so
 * signing and verifying use every core without competing with other users of the common pool.
 */
final class Parallel {

    private Parallel() {}

    /** Calls {@code work} for 0..count-1 on {@code parallelism} threads; rethrows a task's failure. */
    static void forEach(int count, int parallelism, String what, IntConsumer work) {
        ForkJoinPool pool = new ForkJoinPool(parallelism);
        try {
            pool.submit(() -> IntStream.range(0, count).parallel().forEach(work))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }
}
