package org.mxpolicy.record;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.SourcePosition;

/**
 * Reads an MTA-STS policy file as a sending MTA does (RFC 8461 section 3.2) and says what a
 * strict reader would object to.
 *
 * <p>The rules, from the section's text and ABNF:
 * <ul>
 *   <li>Fields are {@code name ":" *WSP value}, trailing whitespace allowed. Names and the fixed
 *       values {@code STSv1}, {@code enforce}, {@code testing}, {@code none} are case-sensitive
 *       (the ABNF writes them as {@code %s"..."}, RFC 7405).</li>
 *   <li>The text calls the pairs "CRLF-separated", but the ABNF's {@code sts-policy-term} is
 *       {@code LF / CRLF}: both are accepted; anything but CRLF throughout gets a note, since
 *       CRLF is what the text asks for.</li>
 *   <li>{@code version}, {@code mode} and {@code max_age} are required exactly once; when one is
 *       repeated the first occurrence counts and the others are ignored. {@code mx} may repeat
 *       and is required unless the mode is {@code none}.</li>
 *   <li>{@code max_age} is 1 to 10 digits and at most {@link MtaStsPolicy#MAX_AGE_LIMIT}.</li>
 *   <li>Fields of unknown names are ignored (they may be extensions).</li>
 * </ul>
 * The ABNF does not fix the order of fields, so a {@code version} that is not the first field is
 * only a warning; empty lines are outside the ABNF too and get a warning, as some senders may
 * reject them.
 */
public final class MtaStsPolicyParser {

    /** Extension names, {@code sts-policy-ext-name} of RFC 8461 section 3.2. */
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");

    private static final Pattern MAX_AGE = Pattern.compile("[0-9]{1,10}");
    private static final String VERSION = "STSv1";
    private static final List<String> SINGLE_FIELDS = List.of("version", "mode", "max_age");
    /** Past this many lines that are not fields the body is something else (an HTML page, say). */
    private static final int SYNTAX_ERROR_LIMIT = 5;

    private MtaStsPolicyParser() {}

    /** How the lines of a policy file end. */
    public enum LineEnding {
        /** Every line ends in CRLF, as RFC 8461 section 3.2 describes the file. */
        CRLF,
        /** Every line ends in a bare LF, which the section's ABNF accepts. */
        LF,
        /** Some lines in CRLF, some in LF. */
        MIXED,
        /** A single line without terminator: nothing to tell. */
        NONE
    }

    /**
     * The outcome of reading a policy file.
     *
     * @param policy the policy, present when no finding is an error
     * @param findings every problem and remark, in line order
     * @param lineEnding the line endings the file used
     */
    public record Result(Optional<MtaStsPolicy> policy, List<Finding> findings, LineEnding lineEnding) {

        public Result {
            findings = List.copyOf(findings);
        }

        public List<Finding> errors() {
            return findings.stream().filter(Finding::isError).toList();
        }
    }

    /**
     * Parses the bytes of a policy file, which must be UTF-8 ({@code sts-policy-vchar} allows
     * UTF-8 in extension values).
     *
     * @param source what to name in findings, for example the URL the file came from
     */
    public static Result parse(byte[] body, String source) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            return new Result(
                    Optional.empty(),
                    List.of(Finding.error(
                            "policy-text.encoding",
                            SourcePosition.file(source),
                            "is not UTF-8 text (RFC 8461 section 3.2)")),
                    LineEnding.NONE);
        }
        return parse(text, source);
    }

    /** Parses the text of a policy file. */
    public static Result parse(String text, String source) {
        return new Reading(source).read(text);
    }

    /** The state of one parse: fields seen so far and the findings. */
    private static final class Reading {
        private final String source;
        private final List<Finding> findings = new ArrayList<>();
        private final Map<String, String> single = new HashMap<>();
        private final Map<String, Integer> singleLine = new HashMap<>();
        private final List<String> mx = new ArrayList<>();
        private int fieldCount;
        private int syntaxErrors;

        Reading(String source) {
            this.source = source;
        }

        Result read(String text) {
            if (text.isEmpty()) {
                findings.add(Finding.error(
                        "policy-text.empty",
                        SourcePosition.file(source),
                        "is empty; a policy needs" + " version, mode, max_age and mx fields (RFC 8461 section 3.2)"));
                return new Result(Optional.empty(), findings, LineEnding.NONE);
            }
            int crlf = 0;
            int lf = 0;
            int start = 0;
            int lineNumber = 0;
            while (start < text.length()) {
                lineNumber++;
                if (syntaxErrors == SYNTAX_ERROR_LIMIT) {
                    findings.add(Finding.error(
                            "policy-text.syntax",
                            SourcePosition.at(source, lineNumber, 0),
                            "not read further after " + SYNTAX_ERROR_LIMIT + " lines that are not fields"));
                    break;
                }
                int end = text.indexOf('\n', start);
                String line;
                if (end < 0) {
                    line = text.substring(start);
                    start = text.length();
                } else {
                    boolean cr = end > start && text.charAt(end - 1) == '\r';
                    line = text.substring(start, cr ? end - 1 : end);
                    if (cr) {
                        crlf++;
                    } else {
                        lf++;
                    }
                    start = end + 1;
                }
                line(line, lineNumber);
            }
            LineEnding ending = crlf > 0 && lf > 0
                    ? LineEnding.MIXED
                    : crlf > 0 ? LineEnding.CRLF : lf > 0 ? LineEnding.LF : LineEnding.NONE;
            if (ending == LineEnding.LF || ending == LineEnding.MIXED) {
                findings.add(Finding.note(
                        "policy-text.line-ending",
                        SourcePosition.file(source),
                        (ending == LineEnding.LF ? "lines end in LF" : "lines end in a mix of CRLF and LF")
                                + "; RFC 8461 section 3.2 calls for CRLF, though its ABNF accepts LF"));
            }
            complete();
            findings.sort(Finding.BY_POSITION);
            Optional<MtaStsPolicy> policy = Optional.empty();
            if (findings.stream().noneMatch(Finding::isError)) {
                policy = Optional.of(new MtaStsPolicy(
                        MtaStsMode.fromKeyword(single.get("mode")).orElseThrow(),
                        mx,
                        Long.parseLong(single.get("max_age"))));
            }
            return new Result(policy, findings, ending);
        }

        private void line(String line, int number) {
            SourcePosition where = SourcePosition.at(source, number, 0);
            if (line.isEmpty()) {
                findings.add(Finding.warning(
                        "policy-text.empty-line",
                        where,
                        "empty line; the ABNF of RFC 8461 section 3.2 has no empty lines and a strict sender rejects"
                                + " the policy"));
                return;
            }
            int colon = line.indexOf(':');
            String name = colon < 0 ? line : line.substring(0, colon);
            if (colon < 0 || !FIELD_NAME.matcher(name).matches()) {
                syntaxErrors++;
                findings.add(Finding.error(
                        "policy-text.syntax",
                        SourcePosition.at(source, number, 1),
                        "'" + printable(line) + "' is not a field 'name: value' (RFC 8461 section 3.2)"));
                return;
            }
            String value = stripTrailingWhitespace(stripLeadingWhitespace(line.substring(colon + 1)));
            SourcePosition valueAt = SourcePosition.at(
                    source,
                    number,
                    line.length()
                            - stripLeadingWhitespace(line.substring(colon + 1)).length()
                            + 1);
            fieldCount++;
            if (name.equals("version") && fieldCount != 1 && !single.containsKey("version")) {
                findings.add(Finding.warning(
                        "policy-text.version-not-first",
                        where,
                        "version is not the first field; senders accept that, but it is customary to start with it"));
            }
            if (SINGLE_FIELDS.contains(name)) {
                if (single.containsKey(name)) {
                    findings.add(Finding.warning(
                            "policy-text.duplicate",
                            where,
                            name + " appears again (first on line "
                                    + singleLine.get(name) + "); senders use the first and ignore this one"
                                    + " (RFC 8461 section 3.2)"));
                    return;
                }
                single.put(name, value);
                singleLine.put(name, number);
                checkSingle(name, value, valueAt);
            } else if (name.equals("mx")) {
                try {
                    mx.add(MxPattern.parse(value).toString());
                } catch (IllegalArgumentException e) {
                    findings.add(Finding.error(
                            "policy-text.mx",
                            valueAt,
                            "mx pattern '" + printable(value) + "' is not valid: " + e.getMessage()));
                }
            } else {
                String known = knownNameInOtherCase(name);
                findings.add(Finding.note(
                        "policy-text.unknown-field",
                        where,
                        "field '" + name + "' is ignored"
                                + (known == null
                                        ? " (unknown to RFC 8461)"
                                        : "; field names are case-sensitive, did you mean '" + known + "'?")));
            }
        }

        private void checkSingle(String name, String value, SourcePosition at) {
            switch (name) {
                case "version" -> {
                    if (!value.equals(VERSION)) {
                        findings.add(Finding.error(
                                "policy-text.version",
                                at,
                                "version '" + printable(value) + "' is not " + VERSION + " (RFC 8461 section 3.2)"));
                    }
                }
                case "mode" -> {
                    if (MtaStsMode.fromKeyword(value).isEmpty()) {
                        findings.add(Finding.error(
                                "policy-text.mode",
                                at,
                                "mode '" + printable(value)
                                        + "' is not one of enforce, testing, none (lower case, RFC 8461 section 3.2)"));
                    }
                }
                case "max_age" -> {
                    if (!MAX_AGE.matcher(value).matches()) {
                        findings.add(Finding.error(
                                "policy-text.max-age",
                                at,
                                "max_age '" + printable(value)
                                        + "' is not 1 to 10 digits of seconds (RFC 8461 section 3.2)"));
                    } else if (Long.parseLong(value) > MtaStsPolicy.MAX_AGE_LIMIT) {
                        findings.add(Finding.error(
                                "policy-text.max-age",
                                at,
                                "max_age " + value + " is above the limit of " + MtaStsPolicy.MAX_AGE_LIMIT
                                        + " seconds, one year (RFC 8461 section 3.2)"));
                    }
                }
                default -> throw new IllegalStateException(name);
            }
        }

        /** Reports missing fields: the RFC treats a policy without them as invalid. */
        private void complete() {
            if (syntaxErrors > 0 && fieldCount == 0) {
                return;
            }
            SourcePosition file = SourcePosition.file(source);
            for (String name : SINGLE_FIELDS) {
                if (!single.containsKey(name)) {
                    findings.add(Finding.error(
                            "policy-text.missing",
                            file,
                            "has no " + name + " field, which RFC 8461 section 3.2 requires"));
                }
            }
            boolean modeNone = "none".equals(single.get("mode"));
            if (mx.isEmpty() && !modeNone && findings.stream().noneMatch(f -> f.id().equals("policy-text.mx"))) {
                findings.add(Finding.error(
                        "policy-text.missing",
                        file,
                        "has no mx field; RFC 8461 section 3.2 requires at least one unless the mode is none"));
            }
        }

        private static String knownNameInOtherCase(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (String known : List.of("version", "mode", "max_age", "mx")) {
                if (known.equals(lower)) {
                    return known;
                }
            }
            return null;
        }
    }

    /** WSP of RFC 5234: space and horizontal tab. */
    private static String stripLeadingWhitespace(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return s.substring(i);
    }

    private static String stripTrailingWhitespace(String s) {
        int i = s.length();
        while (i > 0 && (s.charAt(i - 1) == ' ' || s.charAt(i - 1) == '\t')) {
            i--;
        }
        return s.substring(0, i);
    }

    /** Control characters shown escaped and long values cut, so a hostile file cannot garble a report. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < s.length() && out.length() < 80; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return i < s.length() ? out + "..." : out.toString();
    }
}
