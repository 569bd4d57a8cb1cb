package org.mxpolicy.files;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.rollover.RolloverState;
import org.mxpolicy.rollover.RolloverStore;

/**
 * Keeps each host's rollover state in {@code <state_dir>/<host>/state.json} ({@link RolloverStateJson}),
 * written with {@link AtomicFiles} (temporary file, fsync, rename; mode 0644), so a crash leaves
 * the previous state or the new one. A leftover temporary file from a crash is never read. The
 * directories and the file must belong to the user running mxpolicy and be writable by nobody
 * else ({@link OwnedPaths}); a {@code state.json} that is a symbolic link is refused.
 */
public final class JsonRolloverStore implements RolloverStore {

    public static final String STATE_FILE = "state.json";
    /** The finding of a state file that is a link, another user's, or writable by others. */
    public static final String STATE_TRUST = "rollover.state-file";

    private final Path stateDir;

    public JsonRolloverStore(Path stateDir) {
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    }

    /** The directory of one host, which also holds its staged keys. */
    public Path hostDir(String host) {
        return stateDir.resolve(RolloverState.requireHost(host));
    }

    public Path stateFile(String host) {
        return hostDir(host).resolve(STATE_FILE);
    }

    /**
     * Refuses a state directory or host directory that another user owns or may write to, and a
     * host directory that is a link: that user could replace the state, and a state names the keys
     * whose TLSA records are published.
     */
    private void requireOwned(String host) throws InvalidInputException {
        if (Files.exists(stateDir)) {
            OwnedPaths.requireDirectory(stateDir, KeyStaging.DIRECTORY_TRUST, "go-w", OwnedPaths.Links.FOLLOW);
        }
        Path hostDir = hostDir(host);
        if (Files.exists(hostDir, LinkOption.NOFOLLOW_LINKS)) {
            OwnedPaths.requireDirectory(hostDir, KeyStaging.DIRECTORY_TRUST, "go-w", OwnedPaths.Links.REFUSE);
        }
    }

    @Override
    public Optional<RolloverState> load(String host) throws InvalidInputException {
        Path file = stateFile(host);
        String source = file.toString();
        if (Files.notExists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        requireOwned(host);
        OwnedPaths.requireFile(file, STATE_TRUST, OwnedPaths.Links.REFUSE);
        RolloverState state;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            state = RolloverStateJson.read(in, source);
        } catch (IOException e) {
            throw new InvalidInputException(
                    RolloverStateJson.UNREADABLE,
                    SourcePosition.file(source),
                    "cannot read the rollover state: " + RolloverStateJson.reason(e));
        }
        if (!state.host().equals(host)) {
            throw new InvalidInputException(
                    RolloverStateJson.INVALID,
                    SourcePosition.file(source),
                    "this rollover state is for " + state.host() + ", not " + host + "; move it to "
                            + stateFile(state.host()));
        }
        return Optional.of(state);
    }

    @Override
    public void save(RolloverState state) throws InvalidInputException, AtomicFiles.WriteFailedException {
        requireOwned(state.host());
        AtomicFiles.write(
                stateFile(state.host()),
                RolloverStateJson.write(state).getBytes(StandardCharsets.UTF_8),
                AtomicFiles.PUBLIC);
    }
}
