package org.mxpolicy.cli;

import java.io.PrintWriter;
import java.util.List;
import org.mxpolicy.finding.Finding;

/** Prints findings on stderr, one line each, in the order of the files they are about. */
final class Findings {

    private Findings() {}

    static String line(Finding finding) {
        return finding.position() == null ? "mxpolicy: " + finding.format() : finding.format();
    }

    static void print(PrintWriter err, List<Finding> findings) {
        findings.stream().sorted(Finding.BY_POSITION).forEach(f -> err.println(line(f)));
        err.flush();
    }
}
