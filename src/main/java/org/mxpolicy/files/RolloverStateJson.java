package org.mxpolicy.files;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.rollover.RolloverState;
import org.mxpolicy.rollover.RolloverState.KeyEntry;
import org.mxpolicy.rollover.RolloverState.NextKey;
import org.mxpolicy.rollover.RolloverState.RetiringKey;

/**
 * The file form of a {@link RolloverState}: JSON with {@code "format": 1}, fields in a fixed
 * order, instants in ISO-8601 UTC, keys as base64 DER SubjectPublicKeyInfo. Unknown fields are
 * ignored, so a later version may add some; anything missing, malformed or inconsistent (a
 * {@code sha256} that is not the key's digest) is reported with its position.
 */
public final class RolloverStateJson {

    /** The format this version writes and reads. */
    public static final int FORMAT = 1;

    static final String SYNTAX = "rollover.state-syntax";
    static final String INVALID = "rollover.state-invalid";
    static final String UNREADABLE = "rollover.state-unreadable";

    private static final ObjectReader READER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .readerFor(Document.class);

    private RolloverStateJson() {}

    /** The JSON text, ending with a newline; the same state always gives the same bytes. */
    public static String write(RolloverState state) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("host", state.host());
        root.put("current", entry(state.current()));
        state.next().ifPresent(next -> {
            Map<String, Object> m = entry(next.key());
            next.servedSince().ifPresent(t -> m.put("served_since", t.toString()));
            if (next.servedSince().isPresent()) {
                m.put("ttl_window", next.ttlWindow().toSeconds());
            }
            root.put("next", m);
        });
        state.retiring().ifPresent(retiring -> {
            Map<String, Object> m = entry(retiring.key());
            m.put("compromised", retiring.compromised());
            root.put("retiring", m);
        });
        root.put("updated", state.updated().toString());
        StringWriter out = new StringWriter();
        try {
            JsonLayout.WRITER.writeValue(out, root);
        } catch (IOException e) {
            throw new IllegalStateException("maps of strings, numbers and booleans always serialise", e);
        }
        return out + "\n";
    }

    private static Map<String, Object> entry(KeyEntry key) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spki", Base64.getEncoder().encodeToString(key.spki()));
        m.put("sha256", key.sha256());
        m.put("description", key.description());
        m.put("since", key.since().toString());
        return m;
    }

    /**
     * Reads a state file.
     *
     * @param source the file name, for messages
     * @throws InvalidInputException with the position of the first problem
     */
    public static RolloverState read(Reader in, String source) throws InvalidInputException {
        StringWriter buffer = new StringWriter();
        try {
            in.transferTo(buffer);
        } catch (IOException e) {
            throw new InvalidInputException(
                    UNREADABLE, SourcePosition.file(source), "cannot read the rollover state: " + reason(e));
        }
        String text = buffer.toString();
        if (text.isBlank()) {
            throw invalid(
                    SourcePosition.file(source),
                    "the rollover state file is empty; restore it from a backup,"
                            + " or remove it to start over from the current certificate");
        }
        Document document;
        try {
            document = READER.readValue(text);
        } catch (JsonMappingException e) {
            // Data binding wraps a syntax error met inside a nested object; report it as one.
            if (e.getCause() instanceof StreamReadException syntax) {
                throw syntaxError(source, syntax);
            }
            throw invalid(at(source, e.getLocation()), "invalid rollover state: " + problem(e));
        } catch (JsonProcessingException e) {
            throw syntaxError(source, e);
        }
        if (document == null) {
            throw invalid(SourcePosition.file(source), "invalid rollover state: null instead of an object");
        }
        return document.state;
    }

    public static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return "not UTF-8 text";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static InvalidInputException syntaxError(String source, JsonProcessingException e) {
        return new InvalidInputException(
                SYNTAX,
                at(source, e.getLocation()),
                "invalid JSON in the rollover state: " + firstLine(e.getOriginalMessage()));
    }

    private static InvalidInputException invalid(SourcePosition where, String message) {
        return new InvalidInputException(INVALID, where, message);
    }

    private static SourcePosition at(String source, JsonLocation location) {
        if (location == null || location.getLineNr() <= 0) {
            return SourcePosition.file(source);
        }
        return SourcePosition.at(source, location.getLineNr(), Math.max(0, location.getColumnNr()));
    }

    /** The field and what is wrong with it, without Java type names. */
    private static String problem(JsonMappingException e) {
        String field = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        String where = field.isEmpty() ? "" : "\"" + field + "\": ";
        if (e instanceof ValueInstantiationException && e.getCause() != null) {
            return where + e.getCause().getMessage();
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return where + "expected " + expected(mismatch.getTargetType());
        }
        return where + firstLine(e.getOriginalMessage()).replaceAll("`[\\w.$\\[\\]]+`", "value");
    }

    private static String expected(Class<?> type) {
        if (type == byte[].class) {
            return "base64 text";
        }
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        return "an object";
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "syntax error";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return value;
    }

    private static Instant instant(String text, String field) {
        try {
            return Instant.parse(required(text, field));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + field + "\" is not an ISO-8601 UTC time such as"
                    + " 2026-03-01T12:00:00Z: \"" + text + "\"");
        }
    }

    /**
     * The whole file. Jackson calls the creators bottom-up, so a problem in a key entry is
     * reported at that entry and cross-field rules at the end of the document.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private static final class Document {
        final RolloverState state;

        @JsonCreator
        Document(
                @JsonProperty("format") Integer format,
                @JsonProperty("host") String host,
                @JsonProperty("current") Entry current,
                @JsonProperty("next") Entry next,
                @JsonProperty("retiring") Entry retiring,
                @JsonProperty("updated") String updated) {
            if (required(format, "format") != FORMAT) {
                throw new IllegalArgumentException("format " + format + " is not known to this version of mxpolicy,"
                        + " which reads format " + FORMAT + "; use the version that wrote it or a later one");
            }
            required(host, "host");
            try {
                RolloverState.requireHost(host);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("\"host\": " + e.getMessage());
            }
            Optional<NextKey> nextKey = Optional.ofNullable(next).map(Entry::asNext);
            Optional<RetiringKey> retiringKey = Optional.ofNullable(retiring)
                    .map(r -> new RetiringKey(r.key, r.compromised != null && r.compromised));
            state = new RolloverState(
                    host, required(current, "current").key, nextKey, retiringKey, instant(updated, "updated"));
        }
    }

    /** A key entry with the fields of every role; the document decides which apply. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private static final class Entry {
        final KeyEntry key;
        final Optional<Instant> servedSince;
        final Duration ttlWindow;
        final Boolean compromised;

        @JsonCreator
        Entry(
                @JsonProperty("spki") byte[] spki,
                @JsonProperty("sha256") String sha256,
                @JsonProperty("description") String description,
                @JsonProperty("since") String since,
                @JsonProperty("served_since") String servedSince,
                @JsonProperty("ttl_window") Long ttlWindow,
                @JsonProperty("compromised") Boolean compromised) {
            key = new KeyEntry(
                    required(spki, "spki"),
                    required(sha256, "sha256"),
                    required(description, "description"),
                    instant(since, "since"));
            this.servedSince =
                    servedSince == null ? Optional.empty() : Optional.of(instant(servedSince, "served_since"));
            if (ttlWindow != null && ttlWindow < 0) {
                throw new IllegalArgumentException("\"ttl_window\" is negative: " + ttlWindow);
            }
            if (ttlWindow != null && servedSince == null) {
                throw new IllegalArgumentException("\"ttl_window\" without \"served_since\"");
            }
            if (ttlWindow == null && servedSince != null) {
                throw new IllegalArgumentException("\"served_since\" without \"ttl_window\"");
            }
            this.ttlWindow = Duration.ofSeconds(ttlWindow == null ? 0 : ttlWindow);
            this.compromised = compromised;
        }

        NextKey asNext() {
            return new NextKey(key, servedSince, ttlWindow);
        }
    }
}
