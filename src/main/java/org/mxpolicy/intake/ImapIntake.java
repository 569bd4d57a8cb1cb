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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
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

    /**
     * While idling, the server may stay silent until IDLE is renewed (Dovecot says "still here"
     * every 2 minutes, others never): the read timeout must be longer than the renewal interval.
     */
    private static final String IDLE_TIMEOUT_MILLIS = "300000";

    /** IDLE is renewed this often, well inside the 29 minutes of RFC 2177 section 3. */
    private static final Duration IDLE_RENEWAL = Duration.ofMinutes(2);

    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    /** How often a server without IDLE is asked for new mail instead. */
    private static final Duration POLL_WITHOUT_IDLE = Duration.ofMinutes(1);

    private static final Duration LAST_BACKOFF = Duration.ofMinutes(5);

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
        String where = mailbox.describe();
        try {
            IMAPStore store = connect(properties(TIMEOUT_MILLIS), where);
            try {
                IMAPFolder folder = folder(store, where);
                Folder processed = processedFolder(store, where);
                folder.open(Folder.READ_WRITE);
                try {
                    return pass(store, folder, processed, where, () -> now, log, () -> false);
                } finally {
                    folder.close(false);
                }
            } finally {
                store.close();
            }
        } catch (MessagingException e) {
            throw new IOException(where + ": " + describe(e), e);
        }
    }

    /**
     * Stops a {@link #watch}: from a signal handler or another thread. A mail being taken in is
     * finished first; an IDLE is ended at once.
     */
    public static final class Watch {
        private volatile boolean stopped;
        private volatile IMAPFolder idling;

        public void stop() {
            synchronized (this) {
                stopped = true;
                notifyAll();
            }
            IMAPFolder folder = idling;
            if (folder != null) {
                renew(folder);
            }
        }

        public boolean stopped() {
            return stopped;
        }

        /** Waits {@code time}, or less when stopped meanwhile. */
        synchronized void sleep(Duration time) {
            long until = System.nanoTime() + time.toNanos();
            try {
                while (!stopped) {
                    long left = until - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            }
        }
    }

    /**
     * One pass, then waits with IMAP IDLE (RFC 2177) for new mail and takes each in as it
     * arrives, until {@code watch} is stopped. A lost connection, or a store that is unavailable,
     * is logged and tried again after a pause that doubles up to 5 minutes; the mails not yet
     * done stay in the folder meanwhile.
     *
     * @param passes told of every pass that found mail
     * @throws IOException the server refuses the login or the folder does not exist: waiting does
     *     not mend those
     */
    public void watch(Clock clock, Consumer<String> log, Consumer<Pass> passes, Watch watch) throws IOException {
        String where = mailbox.describe();
        Duration backoff = FIRST_BACKOFF;
        ScheduledExecutorService renewal = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "imap-idle-renewal");
            t.setDaemon(true);
            return t;
        });
        try {
            while (!watch.stopped()) {
                IMAPStore store = null;
                try {
                    store = connect(properties(IDLE_TIMEOUT_MILLIS), where);
                    IMAPFolder folder = folder(store, where);
                    Folder processed = processedFolder(store, where);
                    folder.open(Folder.READ_WRITE);
                    ScheduledFuture<?> renewing = renewal.scheduleAtFixedRate(
                            () -> renew(folder),
                            IDLE_RENEWAL.toMillis(),
                            IDLE_RENEWAL.toMillis(),
                            TimeUnit.MILLISECONDS);
                    // a stop that came just before IDLE was sent finds nothing to end: look again each second
                    ScheduledFuture<?> stopping = renewal.scheduleAtFixedRate(
                            () -> {
                                if (watch.stopped()) {
                                    renew(folder);
                                }
                            },
                            1,
                            1,
                            TimeUnit.SECONDS);
                    // without IDLE, idle() returns at once (RFC 2177 is an extension): poll instead
                    boolean idle = store.hasCapability("IDLE");
                    try {
                        log.accept(where + ": waiting for new mail ("
                                + (idle
                                        ? "IMAP IDLE"
                                        : "the server has no IDLE: every " + POLL_WITHOUT_IDLE.toSeconds() + " s")
                                + ")");
                        while (!watch.stopped()) {
                            Pass pass = pass(store, folder, processed, where, clock::instant, log, watch::stopped);
                            if (pass.mails() > 0) {
                                passes.accept(pass);
                            }
                            if (watch.stopped()) {
                                break;
                            }
                            if (!idle) {
                                watch.sleep(POLL_WITHOUT_IDLE);
                                backoff = FIRST_BACKOFF;
                                continue;
                            }
                            watch.idling = folder;
                            try {
                                if (!watch.stopped()) {
                                    folder.idle(true);
                                }
                            } finally {
                                watch.idling = null;
                            }
                            // only a wait that ended well shows the connection works: a server or
                            // middlebox that drops every IDLE keeps the pause growing
                            backoff = FIRST_BACKOFF;
                        }
                    } finally {
                        renewing.cancel(false);
                        stopping.cancel(false);
                    }
                } catch (MessagingException | IOException | ReportStoreException | IllegalStateException e) {
                    // IllegalStateException: the renewal found the connection gone and the folder closed
                    if (watch.stopped()) {
                        break;
                    }
                    if (e instanceof FatalImapProblem fatal) {
                        throw fatal;
                    }
                    String why = e instanceof MessagingException m ? describe(m) : e.getMessage();
                    log.accept(where + ": " + why + "; trying again in " + backoff.toSeconds() + " s");
                    watch.sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(LAST_BACKOFF) > 0
                            ? LAST_BACKOFF
                            : backoff.multipliedBy(2);
                } finally {
                    closeQuietly(store);
                }
            }
        } finally {
            renewal.shutdownNow();
        }
    }

    /**
     * Ends a running IDLE (another command on the folder's connection does) so that the watch
     * goes round: new mail is looked for, and IDLE sent again.
     */
    private static void renew(IMAPFolder folder) {
        try {
            // a command of its own: the folder's cached count would not reach the server
            folder.doCommand(protocol -> {
                protocol.simpleCommand("NOOP", null);
                return null;
            });
        } catch (MessagingException | IllegalStateException e) {
            // the connection is gone; the watch notices and connects again
        }
    }

    private static void closeQuietly(IMAPStore store) {
        if (store == null) {
            return;
        }
        try {
            store.close();
        } catch (MessagingException e) {
            // the connection was lost already
        }
    }

    /** A problem that connecting again does not mend: a refused login, a missing folder. */
    private static final class FatalImapProblem extends IOException {
        private static final long serialVersionUID = 1L;

        FatalImapProblem(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private IMAPStore connect(Properties properties, String where) throws MessagingException, IOException {
        IMAPStore store = (IMAPStore) Session.getInstance(properties).getStore("imaps");
        try {
            store.connect(
                    mailbox.host(),
                    mailbox.port(),
                    mailbox.login().user(),
                    mailbox.login().password());
        } catch (AuthenticationFailedException e) {
            throw new FatalImapProblem(
                    where + ": the server refused the user and password of the login file: " + e.getMessage(), e);
        }
        return store;
    }

    private IMAPFolder folder(IMAPStore store, String where) throws MessagingException, IOException {
        IMAPFolder folder = (IMAPFolder) store.getFolder(mailbox.folder());
        if (!folder.exists()) {
            throw new FatalImapProblem(where + ": no such folder on the server", null);
        }
        return folder;
    }

    private Folder processedFolder(IMAPStore store, String where) throws MessagingException, IOException {
        Folder processed = store.getFolder(mailbox.processedFolder());
        if (!processed.exists() && !processed.create(Folder.HOLDS_MESSAGES)) {
            throw new FatalImapProblem(
                    where + ": cannot create the processed folder " + mailbox.processedFolder(), null);
        }
        return processed;
    }

    private Pass pass(
            IMAPStore store,
            IMAPFolder folder,
            Folder processed,
            String where,
            Supplier<Instant> now,
            Consumer<String> log,
            BooleanSupplier stopped)
            throws MessagingException, ReportStoreException, IOException {
        int mails = 0;
        int stored = 0;
        int duplicates = 0;
        int quarantined = 0;
        for (Message message : folder.getMessages()) {
            if (stopped.getAsBoolean()) {
                break; // what is left stays for the next run
            }
            if (message.isExpunged()) {
                continue;
            }
            String name;
            IngestResult result;
            try {
                name = where + ";UID=" + ((UIDFolder) folder).getUID(message);
                result = ingest(message, name, now.get());
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

    private Properties properties(String readTimeoutMillis) throws IOException {
        Properties p = new Properties();
        p.setProperty("mail.imaps.ssl.checkserveridentity", "true");
        p.setProperty("mail.imaps.ssl.protocols", "TLSv1.3 TLSv1.2");
        p.setProperty("mail.imaps.connectiontimeout", TIMEOUT_MILLIS);
        p.setProperty("mail.imaps.timeout", readTimeoutMillis);
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
