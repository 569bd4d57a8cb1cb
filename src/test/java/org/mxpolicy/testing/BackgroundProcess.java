package org.mxpolicy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server program an interop test runs in the background (a name server, a resolver,
 * {@code mxpolicy serve}), with its output in a log file for failure messages. {@link #close()}
 * stops it with SIGTERM, then SIGKILL; a shutdown hook does the same should the test JVM end first.
 */
public final class BackgroundProcess implements AutoCloseable {

    private static final Duration STOP_LIMIT = Duration.ofSeconds(10);

    private final String label;
    private final Process process;
    private final Path log;
    private final Thread shutdownHook;

    private BackgroundProcess(String label, Process process, Path log) {
        this.label = label;
        this.process = process;
        this.log = log;
        this.shutdownHook = new Thread(process::destroyForcibly, "stop " + label);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code command} with stdout and stderr going to {@code log}.
     *
     * @param label names the program in messages
     * @param environment added to the test JVM's environment
     */
    public static BackgroundProcess start(String label, List<String> command, Map<String, String> environment, Path log)
            throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new BackgroundProcess(label, builder.start(), log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Fails the test, with the log, when the program has exited (for readiness polls). */
    public void assertRunning() {
        if (!process.isAlive()) {
            throw new AssertionError(label + " exited with " + process.exitValue() + "; its log:\n" + log());
        }
    }

    /** What the program has printed so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /**
     * Sends SIGTERM and waits for the exit, at most {@code limit}.
     *
     * @return the exit code
     * @throws AssertionError when the program is still running after {@code limit}
     */
    public int terminate(Duration limit) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(
                    label + " did not stop within " + limit.toSeconds() + " s of SIGTERM; its log:\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway
        }
    }
}
