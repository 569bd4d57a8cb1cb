package org.mxpolicy.cli;

import java.io.PrintWriter;
import org.mxpolicy.dnssec.Progress;
import picocli.CommandLine.Option;

/** {@code --[no-]progress} of the commands that sign or verify whole zones. */
final class ProgressOption {

    @Option(
            names = "--progress",
            negatable = true,
            description = "Show how far signing and verifying are, as a percentage line on stderr"
                    + " (default: when run at a terminal).")
    private Boolean progress;

    Progress on(PrintWriter err) {
        return TerminalProgress.on(err, progress);
    }
}
