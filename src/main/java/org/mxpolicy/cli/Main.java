package org.mxpolicy.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.config.Spelling;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.VerificationFailedException;
import org.mxpolicy.zone.corrections.RecordTypes;
import picocli.CommandLine;

/**
 * Entry point. The only place that calls {@code System.exit}: every command returns its exit
 * code, and the handlers here map exceptions to codes (0 success, 1 the work failed or found a
 * problem, 2 bad usage or bad input). Also the composition root: the one clock of a run is made here
 * and handed to every command.
 */
public final class Main {

    /** Exit code for bad usage or bad input (config, certificate, zone file). */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code when the work itself failed or found a problem. */
    public static final int EXIT_FAILED = 1;

    private Main() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(run(args, out, err));
    }

    /** Runs a command line with the given streams; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, Clock.systemUTC());
    }

    /** As {@link #run(String[], PrintWriter, PrintWriter)}, with the time of every command taken from {@code clock}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Clock clock) {
        // Before any record is parsed, from a file or off the wire: dnsjava's record classes with corrections.
        RecordTypes.register();
        MxpolicyCommand root = new MxpolicyCommand();
        CommandLine cmd = new CommandLine(root, new ClockFactory(clock));
        cmd.addSubcommand("completion", new CompletionCommand());
        // Descriptions are written as lines of up to 100 columns; wider terminals get wider help.
        cmd.setUsageHelpWidth(110);
        cmd.setUsageHelpAutoWidth(true);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setParameterExceptionHandler(Main::usageError);
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> failure(ex, commandLine, root.verbose()));
        int code = cmd.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** One line naming the problem and where to look, instead of picocli's full usage text. */
    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        Optional<String> command = unknownCommand(ex);
        if (command.isPresent()) {
            String word = command.get();
            err.println(cmd.getCommandSpec().qualifiedName() + ": unknown command '" + word + "'"
                    + Spelling.closest(word, cmd.getSubcommands().keySet())
                            .map(s -> "; did you mean " + s + "?")
                            .orElse("")
                    + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
            return EXIT_BAD_INPUT;
        }
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage() + " (see '"
                + cmd.getCommandSpec().qualifiedName() + " --help')");
        return EXIT_BAD_INPUT;
    }

    /** The word given where a command of {@code ex}'s command line was expected, if that is the mistake. */
    private static Optional<String> unknownCommand(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException unmatched)
                || ex.getCommandLine().getSubcommands().isEmpty()) {
            return Optional.empty();
        }
        List<String> words = unmatched.getUnmatched();
        return words.isEmpty() || words.get(0).startsWith("-") ? Optional.empty() : Optional.of(words.get(0));
    }

    private static int failure(Exception ex, CommandLine cmd, boolean verbose) {
        PrintWriter err = cmd.getErr();
        if (ex instanceof InvalidInputException invalid) {
            for (Finding finding : invalid.findings()) {
                err.println(Findings.line(finding));
            }
        } else if (ex instanceof VerificationFailedException failed) {
            for (Finding finding : failed.findings()) {
                err.println(Findings.line(finding));
            }
            err.println("mxpolicy: " + failed.getMessage());
        } else if (ex instanceof MxpolicyException known) {
            err.println("mxpolicy: " + known.getMessage());
        } else {
            err.println("mxpolicy: internal error: " + ex + (verbose ? "" : " (run with --verbose for details)"));
        }
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ex instanceof MxpolicyException known ? known.exitCode() : EXIT_FAILED;
    }
}
