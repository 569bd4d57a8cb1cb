package org.mxpolicy.tlsrpt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the JSON of an RFC 8460 report, every field of section 4.4. Strict where a report
 * would be meaningless without a field (its organisation, id, period, policy domain); tolerant of
 * what real reporters send otherwise (a missing {@code sending-mta-ip}, {@code contact-info: null},
 * {@code mx-host} as a string, numbers as strings, draft field names with underscores), each
 * tolerance recorded as a {@link ParseNote}. Unknown result and policy types are kept verbatim.
 */
public final class ReportParser {

    private static final Set<String> REPORT_FIELDS =
            Set.of("organization-name", "date-range", "contact-info", "report-id", "policies");
    private static final Set<String> POLICY_ENTRY_FIELDS = Set.of("policy", "summary", "failure-details");
    private static final Set<String> POLICY_FIELDS = Set.of("policy-type", "policy-string", "policy-domain", "mx-host");
    private static final Set<String> SUMMARY_FIELDS =
            Set.of("total-successful-session-count", "total-failure-session-count");
    private static final Set<String> FAILURE_FIELDS = Set.of(
            "result-type",
            "sending-mta-ip",
            "receiving-mx-hostname",
            "receiving-mx-helo",
            "receiving-ip",
            "failed-session-count",
            "additional-information",
            "failure-reason-code");

    private final ObjectMapper mapper;
    private final ReportLimits limits;

    public ReportParser(ReportLimits limits) {
        this.limits = limits;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxJsonDepth())
                        .maxStringLength(Math.min(limits.maxReportBytes(), 1024 * 1024))
                        .maxNumberLength(40)
                        .maxDocumentLength(limits.maxReportBytes())
                        .build())
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * The report in {@code json}.
     *
     * @param name the attachment's name, for messages
     * @throws ReportRejectedException not JSON, or not an RFC 8460 report
     */
    public ParsedReport parse(byte[] json, String name) throws ReportRejectedException {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
            throw new ReportRejectedException(
                    "reports.json", name + ": not valid JSON" + where + ": " + firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new ReportRejectedException("reports.json", name + ": cannot read the JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ReportRejectedException("reports.not-report", name + ": the JSON is not an object");
        }
        return new Reading(name).report(root);
    }

    /** Jackson's message without the second line and the source description it appends. */
    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        int marker = line.indexOf(" (start marker at");
        return marker < 0 ? line : line.substring(0, marker);
    }

    /** The state of reading one report: its name and the notes so far. */
    private final class Reading {
        private final String name;
        private final List<ParseNote> notes = new ArrayList<>();
        private int failureDetails;

        Reading(String name) {
            this.name = name;
        }

        ParsedReport report(JsonNode root) throws ReportRejectedException {
            unknownFields(root, "", REPORT_FIELDS);
            String organization = requiredText(root, "", "organization-name");
            JsonNode range = field(root, "", "date-range");
            if (range == null || !range.isObject()) {
                throw reject("date-range", "missing or not an object; a report without its period cannot be counted");
            }
            unknownFields(range, "date-range.", Set.of("start-datetime", "end-datetime"));
            Instant start = dateTime(range, "date-range.", "start-datetime");
            Instant end = dateTime(range, "date-range.", "end-datetime");
            if (end.isBefore(start)) {
                notes.add(new ParseNote("date-range", "end-datetime is before start-datetime; kept as sent"));
            }
            Optional<String> contact = optionalText(root, "", "contact-info", true);
            String reportId = requiredText(root, "", "report-id");
            JsonNode policies = field(root, "", "policies");
            if (policies == null || !policies.isArray()) {
                throw reject("policies", "missing or not a list; a report needs at least one policy");
            }
            if (policies.isEmpty()) {
                notes.add(new ParseNote("policies", "the list is empty; the report counts no sessions"));
            }
            List<PolicyReport> out = new ArrayList<>();
            for (int i = 0; i < policies.size(); i++) {
                out.add(policy(policies.get(i), "policies[" + i + "]"));
            }
            TlsReport report = new TlsReport(organization, start, end, contact, reportId, out);
            return new ParsedReport(report, notes);
        }

        private PolicyReport policy(JsonNode entry, String path) throws ReportRejectedException {
            if (!entry.isObject()) {
                throw reject(path, "not an object");
            }
            unknownFields(entry, path + ".", POLICY_ENTRY_FIELDS);
            JsonNode policy = field(entry, path + ".", "policy");
            if (policy == null || !policy.isObject()) {
                throw reject(path + ".policy", "missing or not an object");
            }
            String p = path + ".policy.";
            unknownFields(policy, p, POLICY_FIELDS);
            String type = requiredText(policy, p, "policy-type");
            String lower = type.strip().toLowerCase(Locale.ROOT);
            if (!lower.equals(type)) {
                notes.add(new ParseNote(p + "policy-type", "'" + type + "' read as '" + lower + "'"));
            }
            if (!PolicyReport.KNOWN_TYPES.contains(lower)) {
                notes.add(new ParseNote(
                        p + "policy-type", "'" + lower + "' is none of tlsa, sts, no-policy-found; kept as sent"));
            }
            List<String> strings = textList(policy, p, "policy-string", false);
            String domain = hostName(requiredText(policy, p, "policy-domain"));
            List<String> mx = new ArrayList<>();
            for (String host : textList(policy, p, "mx-host", true)) {
                mx.add(hostName(host));
            }
            JsonNode summary = field(entry, path + ".", "summary");
            long successful = 0;
            long failed = 0;
            if (summary == null || !summary.isObject()) {
                notes.add(new ParseNote(path + ".summary", "missing or not an object; counted as 0 sessions"));
            } else {
                unknownFields(summary, path + ".summary.", SUMMARY_FIELDS);
                successful = count(summary, path + ".summary.", "total-successful-session-count");
                failed = count(summary, path + ".summary.", "total-failure-session-count");
            }
            List<FailureDetail> failures = new ArrayList<>();
            JsonNode details = field(entry, path + ".", "failure-details");
            if (details != null && !details.isNull()) {
                if (!details.isArray()) {
                    throw reject(path + ".failure-details", "not a list");
                }
                for (int i = 0; i < details.size(); i++) {
                    if (++failureDetails > limits.maxFailureDetails()) {
                        throw reject(
                                "failure-details",
                                "more than " + limits.maxFailureDetails() + " entries over all policies");
                    }
                    failures.add(failure(details.get(i), path + ".failure-details[" + i + "]"));
                }
            }
            long detailed = failures.stream()
                    .mapToLong(FailureDetail::failedSessionCount)
                    .sum();
            if (detailed > failed) {
                notes.add(new ParseNote(
                        path + ".summary",
                        "failure-details count " + detailed + " failed sessions, the summary " + failed));
            }
            return new PolicyReport(lower, strings, domain, mx, successful, failed, failures);
        }

        private FailureDetail failure(JsonNode node, String path) throws ReportRejectedException {
            if (!node.isObject()) {
                throw reject(path, "not an object");
            }
            String p = path + ".";
            unknownFields(node, p, FAILURE_FIELDS);
            Optional<String> type = optionalText(node, p, "result-type", false);
            if (type.isEmpty()) {
                notes.add(new ParseNote(p + "result-type", "missing; stored as 'unspecified'"));
            } else if (ResultType.of(type.get()).isEmpty()) {
                notes.add(new ParseNote(
                        p + "result-type", "'" + type.get() + "' is not a result type of RFC 8460; kept as sent"));
            }
            Optional<String> sendingIp = optionalText(node, p, "sending-mta-ip", false);
            Optional<String> mx =
                    optionalText(node, p, "receiving-mx-hostname", false).map(ReportParser::hostName);
            Optional<String> helo = optionalText(node, p, "receiving-mx-helo", false);
            Optional<String> receivingIp = optionalText(node, p, "receiving-ip", false);
            long count = count(node, p, "failed-session-count");
            Optional<String> info = optionalText(node, p, "additional-information", false);
            Optional<String> reason = optionalText(node, p, "failure-reason-code", false);
            return new FailureDetail(type.orElse("unspecified"), sendingIp, mx, helo, receivingIp, count, info, reason);
        }

        /** The field by its RFC name, or by its draft spelling with underscores (noted). */
        private JsonNode field(JsonNode object, String path, String rfcName) {
            JsonNode value = object.get(rfcName);
            if (value != null) {
                return value;
            }
            String draft = rfcName.replace('-', '_');
            value = object.get(draft);
            if (value != null) {
                notes.add(new ParseNote(path + rfcName, "spelt '" + draft + "'; read as '" + rfcName + "'"));
            }
            return value;
        }

        private void unknownFields(JsonNode object, String path, Set<String> known) {
            Iterator<String> names = object.fieldNames();
            while (names.hasNext()) {
                String field = names.next();
                if (!known.contains(field) && !known.contains(field.replace('_', '-'))) {
                    notes.add(new ParseNote(path + field, "not a field of RFC 8460; ignored"));
                }
            }
        }

        private String requiredText(JsonNode object, String path, String field) throws ReportRejectedException {
            JsonNode value = field(object, path, field);
            if (value == null || value.isNull()) {
                throw reject(path + field, "missing; RFC 8460 section 4.4 requires it");
            }
            if (value.isNumber()) {
                notes.add(new ParseNote(path + field, "a number; read as text"));
                return value.asText();
            }
            if (!value.isTextual() || value.asText().isBlank()) {
                throw reject(path + field, "must be a non-empty string");
            }
            return value.asText();
        }

        private Optional<String> optionalText(JsonNode object, String path, String field, boolean rfcRequired)
                throws ReportRejectedException {
            JsonNode value = field(object, path, field);
            if (value == null || value.isNull()) {
                if (rfcRequired) {
                    notes.add(new ParseNote(
                            path + field, value == null ? "missing, though required" : "null, though required"));
                }
                return Optional.empty();
            }
            if (value.isNumber() || value.isBoolean()) {
                notes.add(new ParseNote(path + field, "not a string; read as text"));
                return Optional.of(value.asText());
            }
            if (!value.isTextual()) {
                throw reject(path + field, "must be a string, found " + kind(value));
            }
            return value.asText().isEmpty() ? Optional.empty() : Optional.of(value.asText());
        }

        private List<String> textList(JsonNode object, String path, String field, boolean splitString)
                throws ReportRejectedException {
            JsonNode value = field(object, path, field);
            List<String> out = new ArrayList<>();
            if (value == null || value.isNull()) {
                return out;
            }
            if (value.isTextual()) {
                if (splitString) {
                    notes.add(new ParseNote(path + field, "a string instead of a list; read as a list of its names"));
                    for (String part : value.asText().split("[,\\s]+", -1)) {
                        if (!part.isEmpty()) {
                            out.add(part);
                        }
                    }
                } else {
                    notes.add(new ParseNote(path + field, "a string instead of a list; read as a list of one"));
                    out.add(value.asText());
                }
                return out;
            }
            if (!value.isArray()) {
                throw reject(path + field, "must be a list of strings, found " + kind(value));
            }
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                if (!item.isTextual()) {
                    throw reject(path + field + "[" + i + "]", "must be a string, found " + kind(item));
                }
                out.add(item.asText());
            }
            return out;
        }

        private long count(JsonNode object, String path, String field) throws ReportRejectedException {
            JsonNode value = field(object, path, field);
            if (value == null || value.isNull()) {
                notes.add(new ParseNote(path + field, "missing; counted as 0"));
                return 0;
            }
            BigDecimal number;
            if (value.isNumber()) {
                number = value.decimalValue();
            } else if (value.isTextual() && value.asText().strip().matches("[0-9]{1,18}")) {
                notes.add(new ParseNote(path + field, "a number as a string; read as a number"));
                number = new BigDecimal(value.asText().strip());
            } else {
                throw reject(path + field, "must be a number of sessions, found " + kind(value));
            }
            if (number.signum() < 0 || number.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw reject(path + field, "must be a number of sessions from 0, found " + number.toPlainString());
            }
            if (number.stripTrailingZeros().scale() > 0) {
                throw reject(path + field, "must be a whole number of sessions, found " + number.toPlainString());
            }
            if (value.isNumber() && !value.isIntegralNumber()) {
                notes.add(new ParseNote(path + field, "written as a decimal; read as a whole number"));
            }
            return number.longValueExact();
        }

        private Instant dateTime(JsonNode object, String path, String field) throws ReportRejectedException {
            String text = requiredText(object, path, field).strip();
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                // some reporters leave out the offset: UTC is what RFC 8460 section 4.4 asks for
                try {
                    Instant read = Instant.parse(text + "Z");
                    notes.add(new ParseNote(path + field, "no time zone; read as UTC"));
                    return read;
                } catch (DateTimeParseException again) {
                    throw reject(path + field, "'" + abbreviate(text) + "' is not an RFC 3339 date-time");
                }
            }
        }

        private ReportRejectedException reject(String path, String message) {
            return new ReportRejectedException("reports.not-report", name + ": " + path + ": " + message);
        }
    }

    private static String kind(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isTextual()) {
            return "the string '" + abbreviate(node.asText()) + "'";
        }
        if (node.isBoolean()) {
            return node.asText();
        }
        return node.isNull() ? "null" : "the number " + abbreviate(node.asText());
    }

    private static String abbreviate(String text) {
        String one = text.replaceAll("\\p{Cntrl}", "?");
        return one.length() <= 60 ? one : one.substring(0, 57) + "...";
    }

    /** A host or domain name as stored: lower case, without a trailing dot. */
    static String hostName(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
