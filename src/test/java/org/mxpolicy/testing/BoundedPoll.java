package org.mxpolicy.testing;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Waits for a condition by asking again until it holds or a limit passes: how interop tests wait
 * for servers to come up, instead of sleeping a fixed time.
 */
public final class BoundedPoll {

    private static final Duration INTERVAL = Duration.ofMillis(200);

    private BoundedPoll() {}

    /**
     * Asks {@code check} until it returns null (ready) or {@code limit} has passed; then fails the
     * test with the last problem it returned and {@code context} (a log, say).
     *
     * @param what names what is awaited, for the failure message
     * @param check returns null when ready, otherwise what is still wrong; exceptions count as a
     *     problem, except {@link AssertionError}s, which end the wait at once
     */
    public static void await(
            String what, Duration limit, Callable<String> check, java.util.function.Supplier<String> context)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        String problem = "not checked";
        while (true) {
            try {
                problem = check.call();
            } catch (AssertionError | InterruptedException e) {
                throw e;
            } catch (Exception e) {
                problem = e.toString();
            }
            if (problem == null) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError(
                        what + " within " + limit.toSeconds() + " s failed (" + problem + ")\n" + context.get());
            }
            Thread.sleep(INTERVAL.toMillis());
        }
    }
}
