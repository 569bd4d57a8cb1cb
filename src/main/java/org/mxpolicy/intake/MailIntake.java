package org.mxpolicy.intake;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.tlsrpt.ParseNote;
import org.mxpolicy.tlsrpt.ParsedReport;
import org.mxpolicy.tlsrpt.ReportLimits;
import org.mxpolicy.tlsrpt.ReportParser;
import org.mxpolicy.tlsrpt.ReportPayload;
import org.mxpolicy.tlsrpt.ReportRejectedException;
import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.ReportStoreException;

/**
 * Takes in one report mail: its report parts are decoded, parsed and stored; a mail with a part
 * that cannot be read is kept verbatim in the quarantine with the reasons, never dropped. The
 * reports of a mail that could be read are stored even when another part of it could not.
 */
public final class MailIntake {

    private final ReportLimits limits;
    private final ReportParser parser;
    private final ReportStore store;
    private final Quarantine quarantine;

    public MailIntake(ReportLimits limits, ReportStore store, Quarantine quarantine) {
        this.limits = limits;
        this.parser = new ReportParser(limits);
        this.store = store;
        this.quarantine = quarantine;
    }

    /** The most bytes of one mail this intake ever reads: one more than the quarantine keeps. */
    public long longestRead() {
        return quarantine.maxBytes() + 1;
    }

    /**
     * Ingests the mail read from {@code message}, at most the message limit of it into memory.
     *
     * @param source where the mail came from, for messages and the store
     * @throws ReportStoreException the store or the quarantine cannot be written; the mail must be
     *     retried (EX_TEMPFAIL)
     */
    public IngestResult ingest(InputStream message, String source, Instant now) throws ReportStoreException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        try {
            int n;
            while (head.size() <= limits.maxMessageBytes()
                    && (n = message.read(chunk, 0, Math.min(chunk.length, limits.maxMessageBytes() + 1 - head.size())))
                            > 0) {
                head.write(chunk, 0, n);
            }
        } catch (IOException e) {
            throw ReportStoreException.io("cannot read the mail from " + source, e);
        }
        if (head.size() > limits.maxMessageBytes()) {
            String reason = "the mail is larger than " + ReportLimits.size(limits.maxMessageBytes())
                    + ", the limit for a report mail";
            InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head.toByteArray()), message);
            return rejected(List.of(reason), List.of(), 0, 0, quarantine.keep(whole, reason, source, now));
        }
        return ingest(head.toByteArray(), source, now);
    }

    /** Ingests one mail held in memory; see {@link #ingest(InputStream, String, Instant)}. */
    public IngestResult ingest(byte[] message, String source, Instant now) throws ReportStoreException {
        ReportMail mail;
        try {
            mail = ReportMail.read(message, limits);
        } catch (ReportRejectedException e) {
            return quarantined(message, List.of(e.getMessage()), List.of(), 0, 0, source, now);
        }
        if (mail.attachments().isEmpty()) {
            String reason = "no TLS report in the mail: no application/tlsrpt+gzip or application/tlsrpt+json"
                    + " part, and no gzip or JSON attachment";
            return quarantined(message, List.of(reason), List.of(), 0, 0, source, now);
        }
        String storedAs = mail.messageId().map(id -> source + " " + id).orElse(source);
        List<String> rejections = new ArrayList<>();
        List<ParseNote> notes = new ArrayList<>();
        int stored = 0;
        int duplicates = 0;
        for (Attachment attachment : mail.attachments()) {
            ParsedReport report;
            try {
                byte[] json = ReportPayload.json(attachment.bytes(), attachment.name(), limits);
                report = parser.parse(json, attachment.name());
            } catch (ReportRejectedException e) {
                rejections.add(e.getMessage());
                continue;
            }
            notes.addAll(report.notes());
            if (store.store(report, storedAs, now) == ReportStore.Outcome.STORED) {
                stored++;
            } else {
                duplicates++;
            }
        }
        if (rejections.isEmpty()) {
            return new IngestResult(stored, duplicates, List.of(), notes, Optional.empty());
        }
        return quarantined(message, rejections, notes, stored, duplicates, source, now);
    }

    private IngestResult quarantined(
            byte[] message,
            List<String> reasons,
            List<ParseNote> notes,
            int stored,
            int duplicates,
            String source,
            Instant now)
            throws ReportStoreException {
        java.nio.file.Path kept =
                quarantine.keep(new ByteArrayInputStream(message), String.join("; ", reasons), source, now);
        return rejected(reasons, notes, stored, duplicates, kept);
    }

    private static IngestResult rejected(
            List<String> reasons, List<ParseNote> notes, int stored, int duplicates, java.nio.file.Path kept) {
        return new IngestResult(stored, duplicates, reasons, notes, Optional.of(kept));
    }
}
