package org.mxpolicy.status;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mxpolicy.check.CheckResult;
import org.mxpolicy.check.CheckStatus;
import org.mxpolicy.check.Expiry;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * Reads the JSON of {@code mxpolicy check --format json} back into a {@link CheckSnapshot}, once
 * per change of the file, not per page view.
 */
public final class CheckJson {

    /** The finding id of a file that is not a check report. */
    public static final String NOT_CHECK_JSON = "status.check-json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CheckJson() {}

    /**
     * Reads one check run.
     *
     * @param source the file name, for messages
     * @throws InvalidInputException when the stream is not the JSON of a check run, naming the
     *     position where that shows
     */
    public static CheckSnapshot read(InputStream in, String source) throws InvalidInputException {
        // Streamed, one small tree per element: a 20,000-domain run is tens of MiB of JSON, and
        // one tree of it would cost several times that in garbage on each change of the file.
        String startedAt = null;
        String status = null;
        boolean sawResults = false;
        List<CheckResult> results = new ArrayList<>();
        List<Expiry> expiries = new ArrayList<>();
        List<CheckSnapshot.ConfiguredDomain> domains = new ArrayList<>();
        int changes = 0;
        // The same ids, statuses, host names and many messages recur thousands of times: kept once.
        Map<String, String> seen = new HashMap<>();
        java.util.function.UnaryOperator<String> once = text -> seen.computeIfAbsent(text, t -> t);
        try (JsonParser p = MAPPER.getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw notCheck(source, "not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "started_at" -> startedAt = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "status" -> status = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "results" -> {
                        sawResults = value == JsonToken.START_ARRAY;
                        each(
                                p,
                                value,
                                source,
                                r -> results.add(new CheckResult(
                                        status(text(r, "status")),
                                        text(r, "id"),
                                        text(r, "subject"),
                                        text(r, "message"))));
                    }
                    case "expiries" -> {
                        each(
                                p,
                                value,
                                source,
                                e -> expiries.add(new Expiry(
                                        text(e, "kind"),
                                        text(e, "subject"),
                                        text(e, "source"),
                                        Instant.parse(text(e, "not_after")))));
                    }
                    case "domains" -> {
                        each(p, value, source, d -> domains.add(domain(d, once)));
                    }
                    case "plans" -> {
                        int[] sum = {0};
                        each(
                                p,
                                value,
                                source,
                                plan -> sum[0] += plan.path("changes").size());
                        changes += sum[0];
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidInputException(
                    NOT_CHECK_JSON,
                    at == null
                            ? SourcePosition.file(source)
                            : SourcePosition.at(source, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr())),
                    "not JSON: " + e.getOriginalMessage().replaceAll("\\s*\\(for \\w+ starting at .*\\)$", ""));
        } catch (IOException e) {
            throw new InvalidInputException(
                    NOT_CHECK_JSON, SourcePosition.file(source), "cannot read: " + e.getMessage());
        } catch (IllegalArgumentException | DateTimeException e) {
            throw notCheck(source, e.getMessage());
        }
        if (startedAt == null || !sawResults) {
            throw notCheck(source, "no started_at and results; write it with mxpolicy check --format json -o FILE");
        }
        try {
            return new CheckSnapshot(
                    Instant.parse(startedAt),
                    status != null ? status(status) : worst(results),
                    results,
                    expiries,
                    domains,
                    changes);
        } catch (IllegalArgumentException | DateTimeException e) {
            throw notCheck(source, e.getMessage());
        }
    }

    /**
     * Hands each element of the array the parser is at to {@code use} as a small tree, dropped
     * after; nothing when it is not an array. An element {@code use} cannot take is named by the
     * line and column it starts at.
     */
    private static void each(JsonParser p, JsonToken value, String source, java.util.function.Consumer<JsonNode> use)
            throws IOException, InvalidInputException {
        if (value != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonLocation at = p.currentTokenLocation();
            JsonNode element = MAPPER.readTree(p);
            try {
                use.accept(element);
            } catch (IllegalArgumentException | DateTimeException e) {
                throw new InvalidInputException(
                        NOT_CHECK_JSON,
                        SourcePosition.at(source, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr())),
                        "not the JSON of mxpolicy check: " + e.getMessage());
            }
        }
    }

    private static CheckSnapshot.ConfiguredDomain domain(JsonNode d, java.util.function.UnaryOperator<String> once) {
        List<String> mx = new ArrayList<>();
        for (JsonNode h : d.path("mx")) {
            mx.add(once.apply(h.asText()));
        }
        JsonNode sts = d.path("mta_sts");
        return new CheckSnapshot.ConfiguredDomain(
                once.apply(text(d, "domain")),
                mx,
                d.path("tls_reports").asBoolean(false),
                sts.isObject() ? Optional.of(once.apply(text(sts, "mode"))) : Optional.empty(),
                sts.isObject() ? Optional.of(once.apply(text(sts, "id"))) : Optional.empty());
    }

    private static CheckStatus worst(List<CheckResult> results) {
        CheckStatus worst = CheckStatus.OK;
        for (CheckResult r : results) {
            worst = worst.worse(r.status());
        }
        return worst;
    }

    private static CheckStatus status(String text) {
        try {
            return CheckStatus.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown status \"" + text + "\"", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("a member has no text field \"" + field + "\"");
        }
        return value.asText();
    }

    private static InvalidInputException notCheck(String source, String why) {
        return new InvalidInputException(
                NOT_CHECK_JSON, SourcePosition.file(source), "not the JSON of mxpolicy check: " + why);
    }
}
