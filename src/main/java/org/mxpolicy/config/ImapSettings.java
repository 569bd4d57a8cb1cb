package org.mxpolicy.config;

import java.util.Optional;
import org.mxpolicy.finding.SourcePosition;

/**
 * The mailbox {@code reports ingest --imap} reads report mails from: IMAPS (implicit TLS) on
 * another host.
 *
 * @param server host and port (993 unless given)
 * @param loginFile the user name on its first line and the password on its second; owned by the
 *     user running mxpolicy and readable by nobody else
 * @param folder where report mails arrive ({@code INBOX} unless given)
 * @param processedFolder where processed mails are moved, created when missing ({@code Processed}
 *     unless given)
 * @param caFile PEM certificates of a private CA to trust instead of the platform's trust store
 * @param position the {@code imap} key
 */
public record ImapSettings(
        ServerAddress server,
        FileReference loginFile,
        String folder,
        String processedFolder,
        Optional<FileReference> caFile,
        SourcePosition position) {

    /** IMAP over implicit TLS, RFC 8314 section 7. */
    public static final int IMAPS_PORT = 993;

    public static final String DEFAULT_FOLDER = "INBOX";
    public static final String DEFAULT_PROCESSED = "Processed";
}
