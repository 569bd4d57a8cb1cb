package org.mxpolicy.intake;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.mxpolicy.tlsrpt.ReportStoreException;

/**
 * One pass over a Maildir: every mail in {@code new/} and {@code cur/} is ingested and then moved
 * into the processed folder (its {@code cur/}, marked seen) with one rename. A crash between the
 * store's commit and the rename leaves the mail in place; the next pass stores its reports again,
 * which the store counts once, and moves it. A mail that can never be a report is quarantined and
 * then removed. When the store is unavailable the pass stops and leaves the rest for the next.
 */
public final class MaildirIntake {

    /** What one pass did. */
    public record Pass(int mails, int stored, int duplicates, int quarantined) {}

    private final Path maildir;
    private final Path processed;
    private final MailIntake intake;

    /**
     * A Maildir intake.
     *
     * @param processed the Maildir folder processed mails are moved to, created when missing; on
     *     the same file system as {@code maildir}, so that the move is one rename
     */
    public MaildirIntake(Path maildir, Path processed, MailIntake intake) {
        this.maildir = maildir;
        this.processed = processed;
        this.intake = intake;
    }

    /**
     * Ingests every mail waiting.
     *
     * @param log one line per mail that was not simply stored
     * @throws ReportStoreException the store or the quarantine failed; the mails not yet done stay
     * @throws IOException the Maildir cannot be listed, or a mail cannot be moved
     */
    public Pass run(Instant now, Consumer<String> log) throws ReportStoreException, IOException {
        for (String sub : List.of("new", "cur")) {
            if (!Files.isDirectory(maildir.resolve(sub))) {
                throw new NoSuchFileException(maildir.resolve(sub).toString(), null, "not a Maildir: no " + sub + "/");
            }
        }
        for (String sub : List.of("tmp", "new", "cur")) {
            Files.createDirectories(processed.resolve(sub));
        }
        int mails = 0;
        int stored = 0;
        int duplicates = 0;
        int quarantined = 0;
        for (Path mail : waiting()) {
            IngestResult result;
            try (InputStream in = Files.newInputStream(mail)) {
                result = intake.ingest(in, mail.toString(), now);
            } catch (NoSuchFileException e) {
                continue; // another reader took it
            }
            mails++;
            stored += result.stored();
            duplicates += result.duplicates();
            for (String rejection : result.rejections()) {
                log.accept(mail.getFileName() + ": " + rejection);
            }
            if (result.rejected()) {
                quarantined++;
                log.accept(mail.getFileName() + ": quarantined as "
                        + result.quarantined().map(Path::toString).orElse("?"));
                Files.deleteIfExists(mail);
            } else {
                moveProcessed(mail);
            }
        }
        return new Pass(mails, stored, duplicates, quarantined);
    }

    private List<Path> waiting() throws IOException {
        List<Path> mails = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            try (Stream<Path> files = Files.list(maildir.resolve(sub))) {
                files.filter(Files::isRegularFile)
                        .filter(p -> !p.getFileName().toString().startsWith("."))
                        .sorted()
                        .forEach(mails::add);
            }
        }
        return mails;
    }

    /** {@code new/NAME} becomes {@code cur/NAME:2,S}; a {@code cur/} name keeps its flags. */
    private void moveProcessed(Path mail) throws IOException {
        String name = mail.getFileName().toString();
        if (!name.contains(":2,")) {
            name = name + ":2,S";
        }
        Path target = processed.resolve("cur").resolve(name);
        try {
            Files.move(mail, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(
                    "cannot move " + mail + " to " + target + " with one rename: keep the processed folder on the"
                            + " file system of the Maildir",
                    e);
        }
    }
}
