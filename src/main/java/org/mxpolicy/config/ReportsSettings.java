package org.mxpolicy.config;

import java.time.Duration;
import java.util.Optional;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.tlsrpt.ReportThresholds;

/**
 * Where TLS reports ({@code mxpolicy reports}) are kept and for how long.
 *
 * @param database an SQLite file, or {@code postgresql://user:password@host/db}; empty for
 *     {@code reports.sqlite} in the rollover state directory
 * @param retention how long a report is kept after the end of its period (TR-03108-14-M: reports
 *     carry IP addresses)
 * @param quarantineDir where mails that can never be reports are kept; empty for
 *     {@code reports-quarantine} in the rollover state directory
 * @param processedFolder where {@code ingest --maildir} moves processed mails; empty for the
 *     Maildir++ folder {@code .Processed} inside the Maildir
 * @param imap the mailbox {@code ingest --imap} reads; empty when the config names none
 * @param thresholds when {@code check} warns about what the stored reports say
 * @param position the {@code reports} key; null when the config has no such section
 */
public record ReportsSettings(
        Optional<String> database,
        Duration retention,
        Optional<FileReference> quarantineDir,
        Optional<FileReference> processedFolder,
        Optional<ImapSettings> imap,
        ReportThresholds thresholds,
        SourcePosition position) {

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(400);
    public static final String DEFAULT_DATABASE = "reports.sqlite";
    public static final String DEFAULT_QUARANTINE = "reports-quarantine";
    public static final String DEFAULT_PROCESSED = ".Processed";

    public static ReportsSettings defaults() {
        return new ReportsSettings(
                Optional.empty(),
                DEFAULT_RETENTION,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                ReportThresholds.defaults(),
                null);
    }

    /** Whether the config has a {@code reports} section: only then does {@code check} read the store. */
    public boolean configured() {
        return position != null;
    }
}
