package org.mxpolicy.status;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.mxpolicy.check.CheckStatus;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * Reads the TR-03108 tables out of the JSON of {@code mxpolicy audit --format json}: per domain
 * each requirement's verdict and evidence. The findings under them are left to the audit's own
 * report.
 */
public final class AuditJson {

    /** The finding id of a file that is not an audit report. */
    public static final String NOT_AUDIT_JSON = "status.audit-json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AuditJson() {}

    /**
     * Reads one audit.
     *
     * @param writtenAt when the file was written
     * @param source the file name, for messages
     * @throws InvalidInputException when the stream is not the JSON of an audit, naming the
     *     position where that shows
     */
    public static AuditRun read(InputStream in, Instant writtenAt, String source) throws InvalidInputException {
        JsonNode top;
        try {
            top = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidInputException(
                    NOT_AUDIT_JSON,
                    at == null
                            ? SourcePosition.file(source)
                            : SourcePosition.at(source, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr())),
                    "not JSON: " + e.getOriginalMessage().replaceAll("\\s*\\(for \\w+ starting at .*\\)$", ""));
        } catch (IOException e) {
            throw new InvalidInputException(
                    NOT_AUDIT_JSON, SourcePosition.file(source), "cannot read: " + e.getMessage());
        }
        if (top == null || !top.isObject() || !top.path("domains").isArray()) {
            throw notAudit(source, "no domains; write it with mxpolicy audit --format json -o FILE");
        }
        List<AuditRun.AuditDomain> domains = new ArrayList<>();
        try {
            for (JsonNode d : top.get("domains")) {
                String name = text(d, "domain");
                List<AuditRun.RequirementRow> rows = new ArrayList<>();
                if (!d.path("requirements").isArray()) {
                    throw new IllegalArgumentException("domain " + name + " has no requirements table");
                }
                for (JsonNode r : d.get("requirements")) {
                    rows.add(AuditRun.RequirementRow.of(
                            text(r, "requirement"), text(r, "title"), text(r, "verdict"), text(r, "evidence")));
                }
                domains.add(new AuditRun.AuditDomain(name, level(text(d, "status")), rows));
            }
        } catch (IllegalArgumentException e) {
            throw notAudit(source, e.getMessage());
        }
        return new AuditRun(writtenAt, top.path("rules").asText(""), domains);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("no text '" + field + "' in " + abbreviate(node.toString()));
        }
        return value.asText();
    }

    private static Level level(String status) {
        return Level.of(CheckStatus.valueOf(status.toUpperCase(Locale.ROOT)));
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static InvalidInputException notAudit(String source, String why) {
        return new InvalidInputException(
                NOT_AUDIT_JSON, SourcePosition.file(source), "not the JSON of mxpolicy audit: " + why);
    }
}
