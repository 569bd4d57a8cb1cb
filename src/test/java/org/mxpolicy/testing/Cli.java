package org.mxpolicy.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.mxpolicy.cli.Main;

/** Runs the command line in-process and captures what it prints. */
public final class Cli {

    private Cli() {}

    public record Run(int exitCode, String stdout, String stderr) {
        public String firstErrorLine() {
            return stderr.lines().findFirst().orElse("");
        }

        public List<String> errorLines() {
            return stderr.lines().toList();
        }
    }

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }
}
