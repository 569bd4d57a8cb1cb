package org.mxpolicy.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.keyroll.KeyId;
import org.mxpolicy.keyroll.KeyRollState;
import org.mxpolicy.keyroll.KeyRollStore;
import org.mxpolicy.keyroll.Sighting;

/**
 * Keeps each zone's key rollover state in {@code <state_dir>/_dnssec/<zone>.json} (the underscore
 * keeps it apart from the MX hosts' directories): JSON with {@code "format": 1}, fields in a fixed
 * order, instants in ISO-8601 UTC, written with {@link AtomicFiles} as the certificate rollover's
 * {@link JsonRolloverStore} writes its states, and trusted on the same terms ({@link OwnedPaths}:
 * the user's own, writable by nobody else, not a link).
 */
public final class JsonKeyRollStore implements KeyRollStore {

    public static final int FORMAT = 1;
    static final String DIRECTORY = "_dnssec";
    static final String INVALID = "keys.state-invalid";
    static final String TRUST = "keys.state-file";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path stateDir;

    public JsonKeyRollStore(Path stateDir) {
        this.stateDir = Objects.requireNonNull(stateDir, "stateDir");
    }

    public Path stateFile(String zone) {
        if (!zone.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)*")) {
            throw new IllegalArgumentException("not a zone name in lower case without trailing dot: \"" + zone + "\"");
        }
        return stateDir.resolve(DIRECTORY).resolve(zone + ".json");
    }

    @Override
    public Optional<KeyRollState> load(String zone) throws InvalidInputException {
        Path file = stateFile(zone);
        if (Files.notExists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        requireOwned();
        OwnedPaths.requireFile(file, TRUST, OwnedPaths.Links.REFUSE);
        String source = file.toString();
        try {
            return Optional.of(read(Files.readString(file, StandardCharsets.UTF_8), source, zone));
        } catch (IOException e) {
            throw new InvalidInputException(
                    INVALID, SourcePosition.file(source), "cannot read the key rollover state: " + e.getMessage());
        }
    }

    @Override
    public void save(KeyRollState state) throws MxpolicyException {
        requireOwned();
        Path file = stateFile(state.zone());
        AtomicFiles.write(file, write(state).getBytes(StandardCharsets.UTF_8), AtomicFiles.PUBLIC);
    }

    private void requireOwned() throws InvalidInputException {
        if (Files.exists(stateDir)) {
            OwnedPaths.requireDirectory(stateDir, KeyStaging.DIRECTORY_TRUST, "go-w", OwnedPaths.Links.FOLLOW);
        }
        Path dir = stateDir.resolve(DIRECTORY);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            OwnedPaths.requireDirectory(dir, KeyStaging.DIRECTORY_TRUST, "go-w", OwnedPaths.Links.REFUSE);
        }
    }

    /** The JSON text, ending with a newline; the same state always gives the same bytes. */
    public static String write(KeyRollState state) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("zone", state.zone());
        List<Map<String, Object>> seen = new ArrayList<>();
        for (Sighting s : state.sightings()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", s.kind().field());
            m.put("key", s.key().toString());
            m.put("since", s.since().toString());
            m.put("ttl", s.ttl().toSeconds());
            seen.add(m);
        }
        root.put("seen", seen);
        root.put("updated", state.updated().toString());
        StringWriter out = new StringWriter();
        try {
            JsonLayout.WRITER.writeValue(out, root);
        } catch (IOException e) {
            throw new IllegalStateException("maps of strings and numbers always serialise", e);
        }
        return out + "\n";
    }

    /** Reads {@link #write}'s form; anything missing or malformed is reported with the file name. */
    public static KeyRollState read(String text, String source, String zone) throws InvalidInputException {
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject() || root.path("format").asInt(-1) != FORMAT) {
                throw invalid(source, "not a key rollover state of format " + FORMAT);
            }
            if (!zone.equals(root.path("zone").asText())) {
                throw invalid(
                        source, "this state is of zone '" + root.path("zone").asText() + "', not " + zone);
            }
            List<Sighting> sightings = new ArrayList<>();
            for (JsonNode s : root.path("seen")) {
                sightings.add(new Sighting(
                        Sighting.Kind.ofField(s.path("kind").asText()),
                        KeyId.parse(s.path("key").asText()),
                        Instant.parse(s.path("since").asText()),
                        Duration.ofSeconds(s.path("ttl").asLong())));
            }
            return new KeyRollState(
                    zone, sightings, Instant.parse(root.path("updated").asText()));
        } catch (JsonProcessingException e) {
            throw invalid(source, "not JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw invalid(source, e.getMessage());
        }
    }

    private static InvalidInputException invalid(String source, String message) {
        return new InvalidInputException(
                INVALID,
                SourcePosition.file(source),
                message + "; remove the file to start the waits over (the key files keep where each key stands)");
    }
}
