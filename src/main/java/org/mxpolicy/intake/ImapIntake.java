package org.mxpolicy.intake;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessageRemovedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.mxpolicy.tlsrpt.ReportStoreException;

/**
 * One pass over an IMAP folder over implicit TLS (IMAPS): every message is ingested, and once its
 * reports are stored (or were stored before) or it is quarantined, it is moved to the processed
 * folder (MOVE, RFC 6851; else COPY, \Deleted and UID EXPUNGE). A crash between the store's commit
 * and the move leaves the message in the folder; the next pass stores its reports again, which the
 * store counts once, and moves it. When the store is unavailable the pass stops and every message
 * not yet done stays.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8314#section-3.2">RFC 8314 section 3.2</a> implicit TLS
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6851#section-3">RFC 6851 section 3</a> MOVE
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4315#section-2.1">RFC 4315 section 2.1</a> UID EXPUNGE
 */
public final class ImapIntake {

    /** What one pass did. */
    public record Pass(int mails, int stored, int duplicates, int quarantined) {}

    /**
     * Where the mails are.
     *
     * @param caFile PEM certificates to trust instead of the platform's trust store
     */
    public record Mailbox(
            String host, int port, ImapLogin login, String folder, String processedFolder, Optional<Path> caFile) {

        String describe() {
            return "imaps://" + login.user() + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                    + folder;
        }
    }

    private static final String TIMEOUT_MILLIS = "60000";

    private final Mailbox mailbox;
    private final MailIntake intake;

    public ImapIntake(Mailbox mailbox, MailIntake intake) {
        this.mailbox = mailbox;
        this.intake = intake;
    }

    /**
     * Ingests every message in the folder.
     *
     * @param log one line per mail that was not simply stored
     * @throws ReportStoreException the store or the quarantine failed; the messages not yet done stay
     * @throws IOException the server cannot be reached, refuses the login, or a message cannot be
     *     read or moved
     */
    public Pass run(Instant now, Consumer<String> log) throws ReportStoreException, IOException {
        Session session = Session.getInstance(properties());
        String where = mailbox.describe();
        try {
            IMAPStore store = (IMAPStore) session.getStore("imaps");
            try {
                store.connect(
                        mailbox.host(),
                        mailbox.port(),
                        mailbox.login().user(),
                        mailbox.login().password());
            } catch (AuthenticationFailedException e) {
                throw new IOException(
                        where + ": the server refused the user and password of the login file: " + e.getMessage(), e);
            }
            try {
                return pass(store, where, now, log);
            } finally {
                store.close();
            }
        } catch (MessagingException e) {
            throw new IOException(where + ": " + describe(e), e);
        }
    }

    private Pass pass(IMAPStore store, String where, Instant now, Consumer<String> log)
            throws MessagingException, ReportStoreException, IOException {
        IMAPFolder folder = (IMAPFolder) store.getFolder(mailbox.folder());
        if (!folder.exists()) {
            throw new IOException(where + ": no such folder on the server");
        }
        Folder processed = store.getFolder(mailbox.processedFolder());
        if (!processed.exists() && !processed.create(Folder.HOLDS_MESSAGES)) {
            throw new IOException(where + ": cannot create the processed folder " + mailbox.processedFolder());
        }
        int mails = 0;
        int stored = 0;
        int duplicates = 0;
        int quarantined = 0;
        folder.open(Folder.READ_WRITE);
        try {
            for (Message message : folder.getMessages()) {
                if (message.isExpunged()) {
                    continue;
                }
                String name;
                IngestResult result;
                try {
                    name = where + ";UID=" + ((UIDFolder) folder).getUID(message);
                    result = ingest(message, name, now);
                } catch (MessageRemovedException e) {
                    continue; // another client took it
                }
                mails++;
                stored += result.stored();
                duplicates += result.duplicates();
                for (String rejection : result.rejections()) {
                    log.accept(name + ": " + rejection);
                }
                if (result.rejected()) {
                    quarantined++;
                    log.accept(name + ": quarantined as "
                            + result.quarantined().map(Path::toString).orElse("?"));
                }
                move(store, folder, message, processed);
            }
        } finally {
            folder.close(false);
        }
        return new Pass(mails, stored, duplicates, quarantined);
    }

    /**
     * The message goes through a private temporary file, so that a large one is never held in
     * memory whole: the intake reads at most its limit and streams the rest to the quarantine. What
     * the intake would never read is not written to the disk either.
     */
    private IngestResult ingest(Message message, String name, Instant now)
            throws MessagingException, ReportStoreException, IOException {
        Path copy = Files.createTempFile("mxpolicy-imap", ".eml");
        try {
            try (OutputStream out = new FirstBytes(Files.newOutputStream(copy), intake.longestRead())) {
                message.writeTo(out);
            }
            try (InputStream in = Files.newInputStream(copy)) {
                return intake.ingest(in, name, now);
            }
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** Writes the first {@code max} bytes through and drops the rest. */
    private static final class FirstBytes extends FilterOutputStream {
        private long room;

        FirstBytes(OutputStream out, long max) {
            super(out);
            this.room = max;
        }

        @Override
        public void write(int b) throws IOException {
            if (room > 0) {
                out.write(b);
                room--;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, room);
            if (n > 0) {
                out.write(b, off, n);
                room -= n;
            }
        }
    }

    private static void move(IMAPStore store, IMAPFolder from, Message message, Folder to) throws MessagingException {
        Message[] one = {message};
        if (store.hasCapability("MOVE")) {
            from.moveMessages(one, to);
            return;
        }
        from.copyMessages(one, to);
        message.setFlag(Flags.Flag.DELETED, true);
        if (store.hasCapability("UIDPLUS")) {
            from.expunge(one);
        } else {
            // without UID EXPUNGE (RFC 4315) only the whole folder's deleted messages can go
            from.expunge();
        }
    }

    private Properties properties() throws IOException {
        Properties p = new Properties();
        p.setProperty("mail.imaps.ssl.checkserveridentity", "true");
        p.setProperty("mail.imaps.ssl.protocols", "TLSv1.3 TLSv1.2");
        p.setProperty("mail.imaps.connectiontimeout", TIMEOUT_MILLIS);
        p.setProperty("mail.imaps.timeout", TIMEOUT_MILLIS);
        p.setProperty("mail.imaps.writetimeout", TIMEOUT_MILLIS);
        // a message left in the folder (the store was unavailable) stays unread for the operator
        p.setProperty("mail.imaps.peek", "true");
        if (mailbox.caFile().isPresent()) {
            p.put("mail.imaps.ssl.socketFactory", trusting(mailbox.caFile().get()));
        }
        return p;
    }

    /** TLS that trusts the certificates of {@code caFile} only; names are still checked. */
    static SSLSocketFactory trusting(Path caFile) throws IOException {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IOException(caFile + ": no PEM certificate in the CA file");
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException(caFile + ": cannot read the CA certificates: " + e.getMessage(), e);
        }
    }

    private static String describe(MessagingException e) {
        String message = e.getMessage();
        Exception next = e.getNextException();
        return next == null || next.getMessage() == null ? message : message + ": " + next.getMessage();
    }
}
