package org.mxpolicy.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a real external program (openssl, ldns-dane, named-checkzone, kzonecheck, ...) from an
 * interop test. When the program is missing, the test is skipped on a developer machine but
 * fails when {@code CI} is set: in CI a missing tool is a broken install step, never a pass.
 */
public final class ExternalTool {

    private static final Duration DEFAULT_LIMIT = Duration.ofSeconds(60);

    private final String program;

    private ExternalTool(String program) {
        this.program = program;
    }

    /** The program, after making sure it is installed (skip locally, fail under CI). */
    public static ExternalTool require(String program) {
        if (findOnPath(program) == null) {
            String why = program + " is not installed (scripts/test-all installs it with apt-get)";
            if (System.getenv("CI") != null) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        return new ExternalTool(program);
    }

    /**
     * A file a test needs that is not a program on the PATH (a jar or script installed from npm);
     * skips the test locally and fails it under CI when the file is missing.
     *
     * @param installedBy how the file gets there, for the message
     */
    public static Path requireFile(Path file, String installedBy) {
        if (!Files.isRegularFile(file)) {
            String why = file + " is missing (" + installedBy + ")";
            if (System.getenv("CI") != null) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        return file;
    }

    /** The program's absolute path (for commands run through a wrapper such as {@code ip netns exec}). */
    public String path() {
        Path resolved = findOnPath(program);
        return resolved == null ? program : resolved.toString();
    }

    public static boolean installed(String program) {
        return findOnPath(program) != null;
    }

    private static Path findOnPath(String program) {
        if (program.contains("/")) {
            Path direct = Path.of(program);
            return Files.isExecutable(direct) ? direct : null;
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        List<String> dirs = new ArrayList<>(List.of(path.split(":")));
        dirs.add("/usr/sbin");
        dirs.add("/sbin");
        for (String dir : dirs) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Runs the program with arguments; returns exit code and output. Times out after 60 s. */
    public Result run(String... args) {
        return run(null, args);
    }

    /** Runs the program with {@code stdin} as standard input (null for none). Times out after 60 s. */
    public Result run(byte[] stdin, String... args) {
        return run(DEFAULT_LIMIT, stdin, args);
    }

    /** Runs the program, allowing it {@code limit} (for scanners that take longer than a minute under load). */
    public Result run(Duration limit, byte[] stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(path());
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            Process process = builder.start();
            if (stdin != null) {
                process.getOutputStream().write(stdin);
            }
            process.getOutputStream().close();
            var stdout = drain(process.getInputStream());
            var stderr = drain(process.getErrorStream());
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + limit.toSeconds() + " s");
            }
            return new Result(String.join(" ", command), process.exitValue(), stdout.get(), stderr.get());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    private static java.util.function.Supplier<String> drain(InputStream in) {
        var future = new java.util.concurrent.CompletableFuture<String>();
        Thread reader = new Thread(() -> {
            try (in) {
                future.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                future.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        return future::join;
    }

    /** What a finished run printed and returned. */
    public record Result(String command, int exitCode, String stdout, String stderr) {
        /** Fails the test with the full output when the program did not exit 0. */
        public Result assertSuccess() {
            if (exitCode != 0) {
                fail(command + " exited " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr);
            }
            return this;
        }
    }
}
