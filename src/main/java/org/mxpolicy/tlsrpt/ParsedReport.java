package org.mxpolicy.tlsrpt;

import java.util.List;
import java.util.Objects;

/**
 * A report as read, with the deviations the parser accepted.
 *
 * @param report the report
 * @param notes what deviated from RFC 8460, in document order
 */
public record ParsedReport(TlsReport report, List<ParseNote> notes) {

    public ParsedReport {
        Objects.requireNonNull(report, "report");
        notes = List.copyOf(notes);
    }
}
