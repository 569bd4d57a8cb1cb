package org.mxpolicy.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.SourcePosition;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads one YAML document from Jackson's YAML token stream into a {@link YamlNode} tree. Duplicate
 * keys and unsupported aliases are reported and reading goes on; a syntax error ends reading with
 * one finding at the parser's position.
 *
 * <p>Anchors and aliases work for maps and lists (Jackson does not report anchors on single
 * values). An alias shares the anchored node, positions included.
 */
final class YamlTreeReader {

    static final String SYNTAX = "config.syntax";
    static final String DUPLICATE_KEY = "config.duplicate-key";
    static final String ALIAS = "config.alias";
    static final String DOCUMENTS = "config.documents";

    private static final Pattern JAVA_NAMES = Pattern.compile("<?\\b(?:org|com|java)\\.[\\w.$]+(?:\\([^)]*\\))?>?");

    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            // an empty value ("key:") is null, a quoted "" stays an empty string
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            // only true/false are booleans; yes/no/on/off stay strings and are then rejected
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .build();

    /** The document's root (empty for an empty document or a syntax error) and the findings. */
    record Document(Optional<YamlNode> root, List<Finding> findings) {
        Document {
            findings = List.copyOf(findings);
        }

        boolean hasErrors() {
            return findings.stream().anyMatch(Finding::isError);
        }
    }

    private final String source;
    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, YamlNode> anchors = new HashMap<>();
    /**
     * The flow lists and maps ({@code [}, {@code \{}) open at the parser's position, innermost
     * last: the parser's own message about a bad item names the item, not the bracket left open.
     */
    private final Deque<OpenBracket> openBrackets = new ArrayDeque<>();

    private final String text;
    private YAMLParser parser;

    private record OpenBracket(boolean list, SourcePosition position) {}

    private YamlTreeReader(String text, String source) {
        this.text = text;
        this.source = source;
    }

    static Document read(String text, String source) {
        return new YamlTreeReader(text, source).readDocument();
    }

    private Document readDocument() {
        YamlNode root = null;
        try (YAMLParser p = FACTORY.createParser(text)) {
            parser = p;
            JsonToken first = parser.nextToken();
            if (first != null) {
                root = readNode(first);
                JsonToken next = parser.nextToken();
                if (next != null) {
                    findings.add(
                            Finding.error(
                                    DOCUMENTS,
                                    here(),
                                    "only one YAML document is allowed; remove the '---' line before this one and what follows"));
                }
            }
        } catch (StreamReadException e) {
            // Jackson wraps the YAML parser's exception, which knows the precise place
            if (e.getCause() instanceof MarkedYAMLException marked) {
                findings.add(syntaxError(marked));
            } else {
                JsonLocation where = e.getLocation();
                SourcePosition position = where == null ? SourcePosition.file(source) : at(where);
                findings.add(Finding.error(SYNTAX, position, "invalid YAML: " + plainWords(e.getOriginalMessage())));
            }
            root = null;
        } catch (IOException e) {
            findings.add(Finding.error("config.read", SourcePosition.file(source), "cannot read: " + e.getMessage()));
            root = null;
        }
        return new Document(Optional.ofNullable(root), findings);
    }

    private YamlNode readNode(JsonToken token) throws IOException {
        SourcePosition position = here();
        return switch (token) {
            case START_OBJECT -> anchored(parser.getObjectId(), readMapping(position));
            case START_ARRAY -> anchored(parser.getObjectId(), readSequence(position));
            case VALUE_STRING ->
                parser.isCurrentAlias()
                        ? alias(parser.getText(), position)
                        : scalar(YamlNode.ScalarType.STRING, position);
            case VALUE_NUMBER_INT ->
                new YamlNode.Scalar(
                        YamlNode.ScalarType.INTEGER, parser.getText(), parser.getBigIntegerValue(), position);
            case VALUE_NUMBER_FLOAT -> scalar(YamlNode.ScalarType.FLOAT, position);
            case VALUE_TRUE, VALUE_FALSE -> scalar(YamlNode.ScalarType.BOOLEAN, position);
            case VALUE_NULL -> new YamlNode.Scalar(YamlNode.ScalarType.NULL, "", null, position);
            // !!binary and other exotic scalars: keep the text, the binder judges it
            default -> scalar(YamlNode.ScalarType.STRING, position);
        };
    }

    private YamlNode.Scalar scalar(YamlNode.ScalarType type, SourcePosition position) throws IOException {
        return new YamlNode.Scalar(type, parser.getText(), null, position);
    }

    private YamlNode.Mapping readMapping(SourcePosition position) throws IOException {
        boolean flow = opensBracket('{');
        if (flow) {
            openBrackets.addLast(new OpenBracket(false, position));
        }
        Map<String, YamlNode.Entry> entries = new LinkedHashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
            // FIELD_NAME: the parser cannot end inside a map without throwing first
            String key = parser.currentName();
            SourcePosition keyPosition = here();
            YamlNode value = readNode(parser.nextToken());
            YamlNode.Entry first = entries.get(key);
            if (first != null) {
                findings.add(Finding.error(
                        DUPLICATE_KEY,
                        keyPosition,
                        "duplicate key " + Quoting.quote(key) + " (first at line "
                                + first.keyPosition().line() + "); remove one of them"));
            } else {
                entries.put(key, new YamlNode.Entry(key, keyPosition, value));
            }
        }
        if (flow) {
            openBrackets.removeLast();
        }
        return new YamlNode.Mapping(List.copyOf(entries.values()), position);
    }

    private YamlNode.Sequence readSequence(SourcePosition position) throws IOException {
        boolean flow = opensBracket('[');
        if (flow) {
            openBrackets.addLast(new OpenBracket(true, position));
        }
        List<YamlNode> items = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            items.add(readNode(token));
        }
        if (flow) {
            openBrackets.removeLast();
        }
        return new YamlNode.Sequence(items, position);
    }

    private YamlNode anchored(Object anchor, YamlNode node) {
        if (anchor != null) {
            anchors.put(anchor.toString(), node);
        }
        return node;
    }

    private YamlNode alias(String name, SourcePosition position) {
        YamlNode target = anchors.get(name);
        if (target != null) {
            return target;
        }
        findings.add(Finding.error(
                ALIAS,
                position,
                "alias " + Quoting.quote("*" + name) + " does not name an anchored map or list"
                        + " before it; aliases of single values are not supported, so write the value out"));
        return new YamlNode.Scalar(YamlNode.ScalarType.NULL, "", null, position);
    }

    /** Whether the current token starts at {@code bracket}: a flow collection, not a block one. */
    private boolean opensBracket(char bracket) {
        long codePoints = parser.currentTokenLocation().getCharOffset();
        if (codePoints < 0 || codePoints > text.length()) {
            return false;
        }
        try {
            int index = text.offsetByCodePoints(0, (int) codePoints);
            return index < text.length() && text.charAt(index) == bracket;
        } catch (IndexOutOfBoundsException e) {
            return false;
        }
    }

    private SourcePosition here() {
        return at(parser.currentTokenLocation());
    }

    private SourcePosition at(JsonLocation location) {
        return SourcePosition.at(source, Math.max(0, location.getLineNr()), Math.max(0, location.getColumnNr()));
    }

    /** One finding for a syntax error, in words a YAML user knows rather than the parser's. */
    private Finding syntaxError(MarkedYAMLException e) {
        Mark problemMark = e.getProblemMark();
        Mark contextMark = e.getContextMark();
        String problem = firstLine(e.getProblem());
        String context = e.getContext() == null ? "" : e.getContext();
        SourcePosition position = problemMark != null
                ? mark(problemMark)
                : contextMark != null ? mark(contextMark) : SourcePosition.file(source);
        String message;
        if (context.contains("scanning an alias") && contextMark != null) {
            position = mark(contextMark);
            message = "'*' starts a YAML alias; quote values that begin with '*', as in \"*.example.net\"";
        } else if (problem.contains("(TAB)")) {
            message = "a tab cannot indent YAML; indent with spaces";
        } else if (problem.startsWith("expected <block end>")) {
            message = "bad indentation: this line does not line up with the keys or list items above it";
        } else if (context.contains("quoted scalar") && problem.contains("end of stream") && contextMark != null) {
            position = mark(contextMark);
            message = "quoted string is not closed";
        } else if (context.startsWith("while parsing a flow")
                && contextMark != null
                && (!context.contains("flow node") || !openBrackets.isEmpty())) {
            // "a flow node": the mark is the bad item's, and the bracket is the innermost one open
            boolean node = context.contains("flow node");
            boolean list = node ? openBrackets.getLast().list() : context.contains("flow sequence");
            SourcePosition bracket = node ? openBrackets.getLast().position() : mark(contextMark);
            if (problem.contains("<stream end>")) {
                // the file ended inside the brackets: the opening one is the place to look at
                position = bracket;
            }
            message = (list ? "the list opened with '['" : "the map opened with '{'") + " at line "
                    + bracket.line() + ", column " + bracket.column() + " is not closed with "
                    + (list ? "']', or its items" : "'}', or its entries") + " are not separated by ','";
        } else if (problem.startsWith("mapping values are not allowed")) {
            message = "unexpected ':'; quote a value that contains ': ' or fix the indentation";
        } else {
            message = problem;
            if (!context.isEmpty() && contextMark != null) {
                message += " (" + context + " started at line " + (contextMark.getLine() + 1) + ", column "
                        + (contextMark.getColumn() + 1) + ")";
            }
        }
        return Finding.error(SYNTAX, position, "invalid YAML: " + Quoting.shortenQuoted(message));
    }

    private SourcePosition mark(Mark mark) {
        return SourcePosition.at(source, mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** The parser's message without the Java class names some of them carry. */
    private static String plainWords(String message) {
        String line = firstLine(message);
        if (line.startsWith("Expected a field name")) {
            return "a map key must be a single value, not a list or a map";
        }
        return Quoting.shortenQuoted(
                JAVA_NAMES.matcher(line).replaceAll("").replaceAll("\\s+", " ").strip());
    }

    private static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return "syntax error";
        }
        String line = text.strip();
        int newline = line.indexOf('\n');
        return newline < 0 ? line : line.substring(0, newline).strip();
    }
}
