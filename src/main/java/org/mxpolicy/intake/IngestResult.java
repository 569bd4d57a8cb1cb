package org.mxpolicy.intake;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.tlsrpt.ParseNote;

/**
 * What became of one mail: reports stored and duplicates skipped, and, for a mail that held
 * anything that could not be read, the reasons and where the mail was quarantined.
 *
 * @param stored reports stored now
 * @param duplicates reports stored before
 * @param rejections one line per part (or for the whole mail) that could not be read
 * @param notes the deviations from RFC 8460 accepted in the stored reports
 * @param quarantined where the mail was kept, when anything was rejected
 */
public record IngestResult(
        int stored, int duplicates, List<String> rejections, List<ParseNote> notes, Optional<Path> quarantined) {

    public IngestResult {
        rejections = List.copyOf(rejections);
        notes = List.copyOf(notes);
    }

    /** No report could be stored or found stored: the mail can never be a report (EX_DATAERR). */
    public boolean rejected() {
        return stored == 0 && duplicates == 0;
    }
}
