package org.mxpolicy.apply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.finding.VerificationFailedException;

/**
 * A command from the config (a DNS server's or the MTA's reload), split on spaces and run without
 * a shell, bounded in time. Its output goes to a file rather than a pipe, so a command that hangs
 * with its output open still ends at the limit.
 */
public final class ConfiguredCommand {

    private ConfiguredCommand() {}

    /** Most of what a failing command said is at its end; kept to one line of bounded length. */
    private static final int SAID_LIMIT = 600;

    static String lastWords(Path output) throws IOException {
        long size = Files.size(output);
        byte[] tail;
        try (var file = java.nio.channels.FileChannel.open(output)) {
            int length = (int) Math.min(size, 4 * SAID_LIMIT);
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(length);
            file.position(size - length);
            while (buffer.hasRemaining() && file.read(buffer) >= 0) {
                // read the tail
            }
            tail = buffer.array();
        }
        String said = String.join(
                " / ",
                new String(tail, StandardCharsets.UTF_8)
                        .lines()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty())
                        .toList());
        return said.length() <= SAID_LIMIT ? said : "..." + said.substring(said.length() - SAID_LIMIT);
    }

    /**
     * Runs {@code command}; fails with one finding ({@code id}, at {@code position}) naming the
     * command and its output when it cannot start, exits non-zero or outlives {@code limit}.
     */
    public static void run(String command, Duration limit, String id, SourcePosition position, String what)
            throws VerificationFailedException {
        List<String> argv = List.of(command.strip().split("\\s+"));
        Path output = null;
        try {
            output = Files.createTempFile("mxpolicy-command", ".out");
            Process process = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            process.getOutputStream().close();
            boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            if (!ended || process.exitValue() != 0) {
                String said = lastWords(output);
                throw new VerificationFailedException(
                        what + " failed",
                        List.of(Finding.error(
                                id,
                                position,
                                "'" + command
                                        + "' "
                                        + (ended
                                                ? "exited with " + process.exitValue()
                                                : "did not end within " + limit.toSeconds() + " s")
                                        + (said.isEmpty() ? "" : ": " + said))));
            }
        } catch (IOException e) {
            throw new VerificationFailedException(
                    what + " failed",
                    List.of(Finding.error(id, position, "cannot run '" + command + "': " + e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerificationFailedException(
                    what + " interrupted", List.of(Finding.error(id, position, "'" + command + "' was interrupted")));
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a leftover file in the temporary directory is harmless
                }
            }
        }
    }
}
