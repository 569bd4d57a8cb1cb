package org.mxpolicy.status;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mxpolicy.check.CheckResult;
import org.mxpolicy.check.CheckStatus;
import org.mxpolicy.check.Expiry;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * Reads the JSON of {@code mxpolicy check --format json} back into a {@link CheckSnapshot}. The
 * file is one tree read once per change of the file, not per page view.
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
        JsonNode top;
        try {
            top = MAPPER.readTree(in);
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
        }
        if (top == null
                || !top.isObject()
                || !top.path("results").isArray()
                || !top.path("started_at").isTextual()) {
            throw notCheck(source, "no started_at and results; write it with mxpolicy check --format json -o FILE");
        }
        try {
            List<CheckResult> results = new ArrayList<>();
            for (JsonNode r : top.path("results")) {
                results.add(new CheckResult(
                        status(text(r, "status")), text(r, "id"), text(r, "subject"), text(r, "message")));
            }
            List<Expiry> expiries = new ArrayList<>();
            for (JsonNode e : top.path("expiries")) {
                expiries.add(new Expiry(
                        text(e, "kind"), text(e, "subject"), text(e, "source"), Instant.parse(text(e, "not_after"))));
            }
            List<CheckSnapshot.ConfiguredDomain> domains = new ArrayList<>();
            for (JsonNode d : top.path("domains")) {
                List<String> mx = new ArrayList<>();
                for (JsonNode h : d.path("mx")) {
                    mx.add(h.asText());
                }
                JsonNode sts = d.path("mta_sts");
                domains.add(new CheckSnapshot.ConfiguredDomain(
                        text(d, "domain"),
                        mx,
                        d.path("tls_reports").asBoolean(false),
                        sts.isObject() ? Optional.of(text(sts, "mode")) : Optional.empty(),
                        sts.isObject() ? Optional.of(text(sts, "id")) : Optional.empty()));
            }
            int changes = 0;
            for (JsonNode p : top.path("plans")) {
                changes += p.path("changes").size();
            }
            return new CheckSnapshot(
                    Instant.parse(top.path("started_at").asText()),
                    top.path("status").isTextual() ? status(top.path("status").asText()) : worst(results),
                    results,
                    expiries,
                    domains,
                    changes);
        } catch (IllegalArgumentException | DateTimeException e) {
            throw notCheck(source, e.getMessage());
        }
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
