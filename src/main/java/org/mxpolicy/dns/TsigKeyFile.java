package org.mxpolicy.dns;

import java.io.Reader;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * TSIG keys (RFC 8945) in the two file formats the usual tools write:
 *
 * <ul>
 *   <li>BIND's {@code key "name" { algorithm hmac-sha256; secret "base64=="; };}, as written by
 *       {@code tsig-keygen}, {@code ddns-confgen} and {@code rndc-confgen} (other statements such
 *       as {@code options { ... };} are skipped), with {@code #}, {@code //} and {@code /* *}{@code /}
 *       comments;
 *   <li>Knot's {@code key:} section ({@code - id:}, {@code algorithm:}, {@code secret:}), as
 *       written by {@code keymgr -t}.
 * </ul>
 *
 * <p>A file may hold several keys; {@link #select} picks one by name, or the only one. Every
 * problem of a file is reported at once, each with {@code file:line:column}.
 *
 * <p>The file holds a secret: whoever opens it from a path must first refuse one that group or
 * others may read, with the same check and message as private DNSSEC keys
 * ({@code files.TsigKeys}, through {@code files.KeyDirectory.checkPermissions}). This class only sees a {@link Reader}.
 */
public final class TsigKeyFile {

    /** The largest key file read, 64 KiB: a key takes a hundred bytes, a whole named.conf fits. */
    public static final InputLimit SIZE_LIMIT = new InputLimit("TSIG key file", "tsig.size", 64 * 1024);

    /**
     * The HMAC algorithms of RFC 8945 section 6, by the names both BIND and Knot use. HMAC-MD5 and
     * the truncated variants are not accepted: RFC 8945 section 6 marks MD5 as deprecated and
     * neither tool writes truncated keys.
     */
    private static final Map<String, Name> ALGORITHMS = new LinkedHashMap<>();

    static {
        ALGORITHMS.put("hmac-sha256", TSIG.HMAC_SHA256);
        ALGORITHMS.put("hmac-sha384", TSIG.HMAC_SHA384);
        ALGORITHMS.put("hmac-sha512", TSIG.HMAC_SHA512);
        ALGORITHMS.put("hmac-sha224", TSIG.HMAC_SHA224);
        ALGORITHMS.put("hmac-sha1", TSIG.HMAC_SHA1);
    }

    private static final String DEFAULT_ALGORITHM = "hmac-sha256";

    /**
     * One key of the file.
     *
     * @param name the key name, which the server matches
     * @param algorithm the HMAC algorithm name ({@code hmac-sha256}, ...)
     * @param tsig the key, ready for dnsjava's resolvers
     * @param position where the key is defined
     * @param warnings remarks that do not stop the key from being used (a weak algorithm)
     */
    public record Key(Name name, String algorithm, TSIG tsig, SourcePosition position, List<Finding> warnings) {
        public Key {
            warnings = List.copyOf(warnings);
        }
    }

    private final String source;
    private final List<Key> keys;

    private TsigKeyFile(String source, List<Key> keys) {
        this.source = source;
        this.keys = List.copyOf(keys);
    }

    /** The keys of the file, in file order. */
    public List<Key> keys() {
        return keys;
    }

    /**
     * Reads every key in {@code in}.
     *
     * @param source the file name, for messages
     * @throws InvalidInputException listing every problem, or when the file holds no key or is
     *     over {@link #SIZE_LIMIT}
     */
    public static TsigKeyFile read(Reader in, String source) throws InvalidInputException {
        String text = SIZE_LIMIT.read(in, source);
        List<Finding> problems = new ArrayList<>();
        List<RawKey> raw = looksLikeKnot(text)
                ? new KnotKeys(source, text, problems).parse()
                : new BindKeys(source, text, problems).parse();
        List<Key> keys = new ArrayList<>();
        for (RawKey key : raw) {
            toKey(key, source, problems).ifPresent(keys::add);
        }
        if (problems.isEmpty() && keys.isEmpty()) {
            problems.add(
                    Finding.error(
                            "tsig.no-key",
                            SourcePosition.file(source),
                            "holds no TSIG key; expected key \"name\" { algorithm hmac-sha256; secret \"...\"; }; as tsig-keygen writes it"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new TsigKeyFile(source, keys);
    }

    /**
     * The key named {@code name}, or the only key of the file when {@code name} is empty.
     *
     * @throws InvalidInputException when there is no such key, or several and no name
     */
    public Key select(Optional<Name> name) throws InvalidInputException {
        String names = keys.stream().map(k -> k.name().toString()).collect(Collectors.joining(", "));
        if (name.isEmpty()) {
            if (keys.size() == 1) {
                return keys.get(0);
            }
            throw new InvalidInputException(
                    "tsig.key-name",
                    SourcePosition.file(source),
                    "holds " + keys.size() + " keys (" + names + "); name the one to use");
        }
        return keys.stream()
                .filter(k -> k.name().equals(name.get()))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException(
                        "tsig.key-name",
                        SourcePosition.file(source),
                        "holds no key named " + name.get() + "; its keys: " + names));
    }

    private static Optional<Key> toKey(RawKey raw, String source, List<Finding> problems) {
        int before = problems.size();
        Name name = null;
        try {
            name = Name.fromString(raw.name.text, Name.root);
        } catch (TextParseException e) {
            problems.add(error(raw.name, source, "'" + shown(raw.name.text) + "' is not a valid key name"));
        }
        String algorithm = raw.algorithm == null ? DEFAULT_ALGORITHM : raw.algorithm.text.toLowerCase(Locale.ROOT);
        List<Finding> warnings = new ArrayList<>();
        if (!ALGORITHMS.containsKey(algorithm)) {
            problems.add(error(
                    raw.algorithm,
                    source,
                    "unsupported TSIG algorithm '" + shown(raw.algorithm.text) + "'; use one of "
                            + String.join(", ", ALGORITHMS.keySet())));
        } else if (algorithm.equals("hmac-sha1")) {
            warnings.add(Finding.warning(
                    "tsig.weak-algorithm",
                    position(raw.algorithm, source),
                    "key " + shown(raw.name.text) + " uses hmac-sha1; RFC 8945 section 6 recommends hmac-sha256"));
        }
        byte[] secret = null;
        if (raw.secret == null) {
            problems.add(Finding.error(
                    "tsig.syntax", position(raw.name, source), "key " + shown(raw.name.text) + " has no secret"));
        } else {
            try {
                secret = Base64.getDecoder().decode(raw.secret.text.replaceAll("\\s", ""));
                if (secret.length == 0) {
                    problems.add(error(raw.secret, source, "the secret of key " + shown(raw.name.text) + " is empty"));
                }
            } catch (IllegalArgumentException e) {
                problems.add(error(
                        raw.secret,
                        source,
                        "the secret of key " + shown(raw.name.text) + " is not base64: " + e.getMessage()));
            }
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        TSIG tsig = new TSIG(ALGORITHMS.get(algorithm), name, secret);
        return Optional.of(new Key(name, algorithm, tsig, position(raw.name, source), warnings));
    }

    private static Finding error(Token at, String source, String message) {
        return Finding.error("tsig.syntax", position(at, source), message);
    }

    private static SourcePosition position(Token at, String source) {
        return at == null ? SourcePosition.file(source) : SourcePosition.at(source, at.line, at.column);
    }

    /** Knot's format starts (after comments) with a line {@code key:}. */
    /** A value as messages quote it: at most 80 characters, so a garbled file makes a one-line message. */
    private static String shown(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "...";
    }

    private static boolean looksLikeKnot(String text) {
        for (String line : text.split("\n", -1)) {
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                continue;
            }
            return stripped.equals("key:");
        }
        return false;
    }

    /** A piece of text and where it starts. */
    private record Token(Kind kind, String text, int line, int column) {
        enum Kind {
            WORD,
            STRING,
            OPEN,
            CLOSE,
            SEMICOLON,
            END
        }
    }

    private static final class RawKey {
        final Token name;
        Token algorithm;
        Token secret;

        RawKey(Token name) {
            this.name = name;
        }
    }

    /** BIND's named.conf grammar, as far as key statements need it. */
    private static final class BindKeys {
        private final String source;
        private final String text;
        private final List<Finding> problems;
        private int index;
        private int line = 1;
        private int column = 1;
        private Token peeked;

        BindKeys(String source, String text, List<Finding> problems) {
            this.source = source;
            this.text = text;
            this.problems = problems;
        }

        List<RawKey> parse() {
            List<RawKey> keys = new ArrayList<>();
            try {
                while (peek().kind() != Token.Kind.END) {
                    Token keyword = next();
                    if (keyword.kind() == Token.Kind.WORD && keyword.text().equalsIgnoreCase("key")) {
                        keys.add(keyStatement());
                    } else if (keyword.kind() == Token.Kind.WORD) {
                        skipStatement();
                    } else {
                        throw new SyntaxError(
                                keyword,
                                "expected a statement such as key \"name\" { ... };, found " + describe(keyword));
                    }
                }
            } catch (SyntaxError e) {
                problems.add(error(e.at, source, e.getMessage()));
            }
            return keys;
        }

        private RawKey keyStatement() throws SyntaxError {
            Token name = next();
            if (name.kind() != Token.Kind.STRING && name.kind() != Token.Kind.WORD) {
                throw new SyntaxError(name, "expected the key name after 'key', found " + describe(name));
            }
            expect(Token.Kind.OPEN, "'{' after the key name");
            RawKey key = new RawKey(name);
            while (peek().kind() != Token.Kind.CLOSE) {
                Token clause = next();
                if (clause.kind() != Token.Kind.WORD) {
                    throw new SyntaxError(clause, "expected 'algorithm', 'secret' or '}', found " + describe(clause));
                }
                Token value = next();
                if (value.kind() != Token.Kind.WORD && value.kind() != Token.Kind.STRING) {
                    throw new SyntaxError(
                            value, "expected a value after '" + shown(clause.text()) + "', found " + describe(value));
                }
                expect(Token.Kind.SEMICOLON, "';' after " + shown(clause.text()) + " " + shown(value.text()));
                switch (clause.text().toLowerCase(Locale.ROOT)) {
                    case "algorithm" -> key.algorithm = duplicate(key.algorithm, clause, value);
                    case "secret" -> key.secret = duplicate(key.secret, clause, value);
                    default ->
                        problems.add(error(
                                clause,
                                source,
                                "unknown clause '" + shown(clause.text()) + "' in key " + name.text()
                                        + "; a key has 'algorithm' and 'secret'"));
                }
            }
            next();
            expect(Token.Kind.SEMICOLON, "';' after the closing '}' of key " + name.text());
            return key;
        }

        private Token duplicate(Token existing, Token clause, Token value) {
            if (existing != null) {
                problems.add(error(clause, source, "'" + shown(clause.text()) + "' given twice in one key"));
            }
            return value;
        }

        /** Skips another statement (options, controls, server, ...) up to its closing ';'. */
        private void skipStatement() throws SyntaxError {
            int depth = 0;
            while (true) {
                Token t = next();
                switch (t.kind()) {
                    case OPEN -> depth++;
                    case CLOSE -> depth--;
                    case SEMICOLON -> {
                        if (depth == 0) {
                            return;
                        }
                    }
                    case END -> throw new SyntaxError(t, "statement not closed with ';' at the end of the file");
                    default -> {}
                }
            }
        }

        private void expect(Token.Kind kind, String what) throws SyntaxError {
            Token t = next();
            if (t.kind() != kind) {
                throw new SyntaxError(t, "expected " + what + ", found " + describe(t));
            }
        }

        private static String describe(Token t) {
            return t.kind() == Token.Kind.END ? "the end of the file" : "'" + shown(t.text()) + "'";
        }

        private Token peek() throws SyntaxError {
            if (peeked == null) {
                peeked = scan();
            }
            return peeked;
        }

        private Token next() throws SyntaxError {
            Token t = peek();
            peeked = null;
            return t;
        }

        private Token scan() throws SyntaxError {
            skipSpaceAndComments();
            int startLine = line;
            int startColumn = column;
            if (index >= text.length()) {
                return new Token(Token.Kind.END, "", startLine, startColumn);
            }
            char c = text.charAt(index);
            switch (c) {
                case '{' -> {
                    advance();
                    return new Token(Token.Kind.OPEN, "{", startLine, startColumn);
                }
                case '}' -> {
                    advance();
                    return new Token(Token.Kind.CLOSE, "}", startLine, startColumn);
                }
                case ';' -> {
                    advance();
                    return new Token(Token.Kind.SEMICOLON, ";", startLine, startColumn);
                }
                case '"' -> {
                    advance();
                    StringBuilder sb = new StringBuilder();
                    while (index < text.length() && text.charAt(index) != '"') {
                        if (text.charAt(index) == '\n') {
                            throw new SyntaxError(
                                    new Token(Token.Kind.STRING, "", startLine, startColumn),
                                    "string not closed with '\"' on its line");
                        }
                        sb.append(text.charAt(index));
                        advance();
                    }
                    if (index >= text.length()) {
                        throw new SyntaxError(
                                new Token(Token.Kind.STRING, "", startLine, startColumn),
                                "string not closed with '\"'");
                    }
                    advance();
                    return new Token(Token.Kind.STRING, sb.toString(), startLine, startColumn);
                }
                default -> {
                    StringBuilder sb = new StringBuilder();
                    while (index < text.length()
                            && "{};\"#".indexOf(text.charAt(index)) < 0
                            && !Character.isWhitespace(text.charAt(index))
                            && !text.startsWith("//", index)
                            && !text.startsWith("/*", index)) {
                        sb.append(text.charAt(index));
                        advance();
                    }
                    return new Token(Token.Kind.WORD, sb.toString(), startLine, startColumn);
                }
            }
        }

        private void skipSpaceAndComments() throws SyntaxError {
            while (index < text.length()) {
                char c = text.charAt(index);
                if (Character.isWhitespace(c)) {
                    advance();
                } else if (c == '#' || text.startsWith("//", index)) {
                    while (index < text.length() && text.charAt(index) != '\n') {
                        advance();
                    }
                } else if (text.startsWith("/*", index)) {
                    Token start = new Token(Token.Kind.END, "/*", line, column);
                    int end = text.indexOf("*/", index + 2);
                    if (end < 0) {
                        throw new SyntaxError(start, "comment not closed with '*/'");
                    }
                    while (index < end + 2) {
                        advance();
                    }
                } else {
                    return;
                }
            }
        }

        private void advance() {
            if (text.charAt(index) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
            index++;
        }
    }

    /** Knot's {@code key:} section: a YAML list of maps with {@code id}, {@code algorithm}, {@code secret}. */
    private static final class KnotKeys {
        private final String source;
        private final String text;
        private final List<Finding> problems;

        KnotKeys(String source, String text, List<Finding> problems) {
            this.source = source;
            this.text = text;
            this.problems = problems;
        }

        List<RawKey> parse() {
            List<RawKey> keys = new ArrayList<>();
            RawKey current = null;
            String[] lines = text.split("\n", -1);
            boolean inKeySection = false;
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                int hash = line.indexOf('#');
                String content = (hash >= 0 ? line.substring(0, hash) : line).stripTrailing();
                if (content.isBlank()) {
                    continue;
                }
                int indent = content.length() - content.stripLeading().length();
                String item = content.strip();
                if (indent == 0) {
                    inKeySection = item.equals("key:");
                    if (!inKeySection) {
                        problems.add(Finding.error(
                                "tsig.syntax",
                                SourcePosition.at(source, i + 1, 1),
                                "expected only a 'key:' section, found '" + item + "'"));
                    }
                    continue;
                }
                if (!inKeySection) {
                    continue;
                }
                int column = indent + 1;
                boolean startsItem = item.startsWith("- ");
                if (startsItem) {
                    item = item.substring(2).strip();
                    column = line.indexOf(item, indent + 1) + 1;
                }
                int colon = item.indexOf(':');
                if (colon < 0) {
                    problems.add(Finding.error(
                            "tsig.syntax",
                            SourcePosition.at(source, i + 1, column),
                            "expected 'id:', 'algorithm:' or 'secret:', found '" + item + "'"));
                    continue;
                }
                String field = item.substring(0, colon).strip();
                String value = unquote(item.substring(colon + 1).strip());
                int valueColumn = line.indexOf(value.isEmpty() ? ":" : value, column - 1) + 1;
                Token token = new Token(Token.Kind.WORD, value, i + 1, valueColumn);
                if (startsItem) {
                    if (!field.equals("id")) {
                        problems.add(Finding.error(
                                "tsig.syntax",
                                SourcePosition.at(source, i + 1, column),
                                "a key starts with '- id:', found '" + field + ":'"));
                        current = null;
                        continue;
                    }
                    current = new RawKey(token);
                    keys.add(current);
                    continue;
                }
                if (current == null) {
                    continue;
                }
                switch (field) {
                    case "algorithm" -> current.algorithm = token;
                    case "secret" -> current.secret = token;
                    default ->
                        problems.add(Finding.error(
                                "tsig.syntax",
                                SourcePosition.at(source, i + 1, column),
                                "unknown field '" + field + "' in key " + current.name.text()
                                        + "; a key has 'algorithm' and 'secret'"));
                }
            }
            return keys;
        }

        private static String unquote(String value) {
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                return value.substring(1, value.length() - 1);
            }
            return value;
        }
    }

    private static final class SyntaxError extends Exception {
        final Token at;

        SyntaxError(Token at, String message) {
            super(message);
            this.at = at;
        }
    }
}
