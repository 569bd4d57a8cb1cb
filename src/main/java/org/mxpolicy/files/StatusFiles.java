package org.mxpolicy.files;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.rollover.RolloverState;
import org.mxpolicy.status.AuditJson;
import org.mxpolicy.status.AuditRun;
import org.mxpolicy.status.CheckJson;
import org.mxpolicy.status.StatusModel;
import org.mxpolicy.status.StatusSource;

/**
 * The file side of the status pages: the check run a cron job saves, parsed again only when its
 * {@link FileStamp} changed (the job writes it atomically, so a new file is a new inode), and the
 * rollover states through {@link JsonRolloverStore}. The audit a cron job saves
 * ({@code audit --format json -o}) is read the same way, when the config names one.
 */
public final class StatusFiles implements StatusSource {

    /** A check of 20,000 domains writes a few tens of MiB; this bounds a wrong file. */
    public static final InputLimit SIZE_LIMIT = new InputLimit("check JSON file", "status.size", 256 * 1024 * 1024);

    /** An audit holds every finding of every MX address; as many domains as a check, more text. */
    public static final InputLimit AUDIT_SIZE_LIMIT =
            new InputLimit("audit JSON file", "status.audit-size", 256 * 1024 * 1024);

    private final Path check;
    private final Optional<JsonRolloverStore> rollovers;
    private Optional<FileStamp> stamp = Optional.empty();
    private Optional<StatusModel> model = Optional.empty();
    private final Optional<Path> audit;
    private Optional<FileStamp> auditStamp = Optional.empty();
    private Optional<AuditRun> auditRun = Optional.empty();

    /**
     * @param check the JSON of {@code mxpolicy check --format json -o}
     * @param rolloverStates the rollover state directory, if the config has one
     */
    public StatusFiles(Path check, Optional<Path> rolloverStates) {
        this(check, rolloverStates, Optional.empty());
    }

    /**
     * @param audit the JSON of {@code mxpolicy audit --format json -o}, if the config names one
     */
    public StatusFiles(Path check, Optional<Path> rolloverStates, Optional<Path> audit) {
        this.check = check;
        this.rollovers = rolloverStates.map(JsonRolloverStore::new);
        this.audit = audit;
    }

    /** Reads a check run once, for a command that renders it and exits. */
    public static StatusModel read(Path check) throws InvalidInputException {
        byte[] bytes = InputFiles.read(check, SIZE_LIMIT);
        return new StatusModel(CheckJson.read(new ByteArrayInputStream(bytes), check.toString()));
    }

    @Override
    public synchronized Optional<StatusModel> check() throws InvalidInputException {
        if (!Files.exists(check)) {
            stamp = Optional.empty();
            model = Optional.empty();
            return model;
        }
        Optional<FileStamp> now = FileStamp.of(check);
        if (now.isPresent() && now.equals(stamp) && model.isPresent()) {
            return model;
        }
        StatusModel read = read(check);
        // The stamp is the one from before the read: a write during the read shows as a change
        // next time, and is read again then.
        stamp = now;
        model = Optional.of(read);
        return model;
    }

    @Override
    public synchronized Optional<AuditRun> audit() throws InvalidInputException {
        if (audit.isEmpty() || !Files.exists(audit.get())) {
            auditStamp = Optional.empty();
            auditRun = Optional.empty();
            return auditRun;
        }
        Path file = audit.get();
        Optional<FileStamp> now = FileStamp.of(file);
        if (now.isPresent() && now.equals(auditStamp) && auditRun.isPresent()) {
            return auditRun;
        }
        FileTime written;
        try {
            written = Files.getLastModifiedTime(file);
        } catch (java.io.IOException e) {
            // gone between the two looks: as if it had not been there
            return Optional.empty();
        }
        byte[] bytes = InputFiles.read(file, AUDIT_SIZE_LIMIT);
        AuditRun read = AuditJson.read(new ByteArrayInputStream(bytes), written.toInstant(), file.toString());
        auditStamp = now;
        auditRun = Optional.of(read);
        return auditRun;
    }

    @Override
    public Optional<RolloverState> rollover(String host) throws InvalidInputException {
        if (rollovers.isEmpty()) {
            return Optional.empty();
        }
        try {
            RolloverState.requireHost(host);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return rollovers.get().load(host);
    }

    @Override
    public String checkLocation() {
        return check.toString();
    }
}
