package org.mxpolicy.config;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.MessageText;
import org.mxpolicy.finding.SourcePosition;

/**
 * What the binders of the config sections share: the findings of the one config being bound,
 * readers that report a bad value at its position and return null, and the check of a map's keys
 * that names the known key an unknown one was probably meant to be.
 */
abstract class SectionBinder {

    static final String UNKNOWN_KEY = "config.unknown-key";
    static final String TYPE = "config.type";
    static final String MISSING_KEY = "config.missing-key";
    static final String EMPTY = "config.empty";
    static final String DNS_NAME = "config.dns-name";
    static final String TTL = "config.ttl";
    static final String PORT = "config.port";
    static final String BOOLEAN = "config.boolean";
    static final String PATH = "config.path";
    static final String SERVER_ADDRESS = "config.server-address";

    /** RFC 2181 section 8: a TTL is an unsigned 32-bit number with the top bit clear. */
    static final long MAX_TTL = 2147483647L;

    static final int MAX_PORT = 65535;
    static final Pattern PORT_DIGITS = Pattern.compile("[0-9]{1,5}");
    private static final String MERGE_KEY = "<<";
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})([smhd]?)");

    /** Shared by all binders of one config, so that counting errors sees every section's. */
    private final List<Finding> findings;

    SectionBinder(List<Finding> findings) {
        this.findings = findings;
    }

    /** A binder for a section of the config that {@code config} binds, adding to its findings. */
    SectionBinder(SectionBinder config) {
        this(config.findings);
    }

    final List<Finding> findings() {
        return findings;
    }

    final void error(String id, SourcePosition position, String message) {
        findings.add(Finding.error(id, position, Objects.requireNonNull(message)));
    }

    final void warning(String id, SourcePosition position, String message) {
        findings.add(Finding.warning(id, position, Objects.requireNonNull(message)));
    }

    final int errorCount() {
        return (int) findings.stream().filter(Finding::isError).count();
    }

    final Long ttl(YamlNode.Entry entry) {
        return integer(entry, TTL, 0, MAX_TTL, "seconds from 0 to " + MAX_TTL + " (RFC 2181 section 8)");
    }

    final Long port(YamlNode.Entry entry) {
        return integer(entry, PORT, 1, MAX_PORT, "a port number from 1 to " + MAX_PORT);
    }

    /** An integer in {@code [min, max]}, or null after reporting why not. */
    final Long integer(YamlNode.Entry entry, String rangeId, long min, long max, String words) {
        YamlNode value = entry.value();
        if (!(value instanceof YamlNode.Scalar scalar) || scalar.type() != YamlNode.ScalarType.INTEGER) {
            String hint = value instanceof YamlNode.Scalar s
                            && s.type() == YamlNode.ScalarType.STRING
                            && s.text().strip().matches("[0-9]+")
                    ? "; remove the quotes"
                    : "";
            error(
                    TYPE,
                    value.position(),
                    Quoting.quote(entry.key()) + " must be an integer, found " + value.describe() + hint);
            return null;
        }
        BigInteger number = scalar.integer();
        if (number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
            error(
                    rangeId,
                    value.position(),
                    Quoting.quote(entry.key()) + " must be " + words + ", found " + Quoting.shorten(number.toString()));
            return null;
        }
        return number.longValue();
    }

    final Boolean bool(YamlNode.Entry entry) {
        YamlNode value = entry.value();
        if (value instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.BOOLEAN) {
            return Boolean.parseBoolean(scalar.text());
        }
        error(
                BOOLEAN,
                value.position(),
                Quoting.quote(entry.key()) + " must be true or false, found " + value.describe());
        return null;
    }

    /** The text of a scalar; numbers and booleans count as their text. Null after reporting. */
    final String string(YamlNode node, String what) {
        if (node instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.ScalarType.NULL) {
            return scalar.text();
        }
        error(TYPE, node.position(), what + " must be a single value, found " + node.describe());
        return null;
    }

    /**
     * A host or domain name, normalised.
     *
     * @param longestPrefix the longest label prefix mxpolicy puts before the name in an owner
     *     name; the result must still fit the 253 characters of a DNS name
     */
    final String dnsName(YamlNode node, String what, int minLabels, String longestPrefix) {
        String text = string(node, "the " + what);
        if (text == null) {
            return null;
        }
        String name = DnsNames.normalise(text);
        Optional<String> problem = DnsNames.problem(name, minLabels);
        if (problem.isEmpty() && name.length() + longestPrefix.length() > DnsNames.MAX_NAME_LENGTH) {
            problem = Optional.of("it is too long for the records mxpolicy writes below it: '" + longestPrefix
                    + "' plus the name exceeds " + DnsNames.MAX_NAME_LENGTH + " characters");
        }
        if (problem.isPresent()) {
            error(DNS_NAME, node.position(), Quoting.quote(text) + " is not a valid " + what + ": " + problem.get());
            return null;
        }
        return name;
    }

    final FileReference file(YamlNode node, String what) {
        String path = string(node, what);
        if (path == null) {
            return null;
        }
        if (path.isBlank()) {
            error(PATH, node.position(), what + " is an empty path; give the file name");
            return null;
        }
        return new FileReference(path, node.position());
    }

    /** One path or a list of paths. */
    final List<FileReference> files(YamlNode node, String what) {
        List<FileReference> files = new ArrayList<>();
        for (YamlNode.Scalar item : stringOrList(node, what)) {
            FileReference file = file(item, what);
            if (file != null) {
                files.add(file);
            }
        }
        return files;
    }

    /** A single value or a list of single values; anything else is reported and skipped. */
    final List<YamlNode.Scalar> stringOrList(YamlNode node, String what) {
        List<YamlNode.Scalar> out = new ArrayList<>();
        List<YamlNode> items = node instanceof YamlNode.Sequence list ? list.items() : List.of(node);
        for (YamlNode item : items) {
            if (item instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.ScalarType.NULL) {
                out.add(scalar);
            } else {
                error(TYPE, item.position(), what + " must be a value or a list of values, found " + item.describe());
            }
        }
        return out;
    }

    final List<ServerAddress> servers(YamlNode.Entry entry, String what) {
        List<ServerAddress> servers = new ArrayList<>();
        for (YamlNode.Scalar item : stringOrList(entry.value(), Quoting.quote(entry.key()))) {
            ServerAddress server = server(item, what);
            if (server != null) {
                servers.add(server);
            }
        }
        return servers;
    }

    /** {@code 192.0.2.1}, {@code 192.0.2.1:5353}, {@code [2001:db8::1]:53}, {@code 2001:db8::1}, {@code ns1.example.com}. */
    final ServerAddress server(YamlNode node, String what) {
        String text = string(node, what);
        if (text == null) {
            return null;
        }
        text = text.strip();
        String host = text;
        String portText = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || (close + 1 < text.length() && text.charAt(close + 1) != ':')) {
                error(
                        SERVER_ADDRESS,
                        node.position(),
                        Quoting.quote(text) + " is not " + what + " address; write an IPv6"
                                + " address with a port as [2001:db8::1]:53");
                return null;
            }
            host = text.substring(1, close);
            portText = close + 1 < text.length() ? text.substring(close + 2) : null;
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            portText = text.substring(text.indexOf(':') + 1);
        }
        int port = ServerAddress.DNS_PORT;
        if (portText != null) {
            long value = PORT_DIGITS.matcher(portText).matches() ? Long.parseLong(portText) : -1;
            if (value < 1 || value > MAX_PORT) {
                error(
                        PORT,
                        node.position(),
                        "port " + Quoting.quote(portText) + " of " + Quoting.quote(text)
                                + " must be a number from 1 to " + MAX_PORT);
                return null;
            }
            port = (int) value;
        }
        boolean literal = host.contains(":") || host.matches("[0-9.]+");
        if (literal && !isIpLiteral(host)) {
            error(SERVER_ADDRESS, node.position(), Quoting.quote(host) + " is not a valid IP address");
            return null;
        }
        if (literal) {
            host = canonicalAddress(host);
        } else {
            String name = DnsNames.normalise(host);
            Optional<String> problem = DnsNames.problem(name, 1);
            if (problem.isPresent()) {
                error(
                        SERVER_ADDRESS,
                        node.position(),
                        Quoting.quote(text) + " is neither an IP address nor a valid host name: " + problem.get());
                return null;
            }
            host = name;
        }
        return new ServerAddress(host, port, node.position());
    }

    /** An address literal in its canonical form ({@code 2001:DB8:0::25} is {@code 2001:db8::25}, RFC 5952). */
    private static String canonicalAddress(String literal) {
        int family = literal.contains(":") ? org.xbill.DNS.Address.IPv6 : org.xbill.DNS.Address.IPv4;
        try {
            return MessageText.address(
                    java.net.InetAddress.getByAddress(org.xbill.DNS.Address.toByteArray(literal, family)));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("an address of 4 or 16 bytes", e);
        }
    }

    private static boolean isIpLiteral(String host) {
        int family = host.contains(":") ? org.xbill.DNS.Address.IPv6 : org.xbill.DNS.Address.IPv4;
        return org.xbill.DNS.Address.toByteArray(host, family) != null;
    }

    /** Seconds as an integer, or a number with a unit: {@code 90s}, {@code 30m}, {@code 1h}, {@code 2d}. */
    final Duration duration(YamlNode.Entry entry) {
        YamlNode value = entry.value();
        if (value instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.ScalarType.NULL) {
            java.util.regex.Matcher m = DURATION.matcher(scalar.text().strip());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofSeconds(n);
                };
            }
        }
        error(
                TYPE,
                value.position(),
                Quoting.quote(entry.key()) + " must be a duration such as 3600, 90s, 30m, 1h or 2d, found "
                        + value.describe());
        return null;
    }

    final YamlNode.Mapping map(YamlNode node, String what, String expected, boolean nullIsEmpty) {
        if (node instanceof YamlNode.Mapping map) {
            return map;
        }
        if (nullIsEmpty && node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.NULL) {
            return new YamlNode.Mapping(List.of(), scalar.position());
        }
        error(TYPE, node.position(), what + " must be " + expected + ", found " + node.describe());
        return null;
    }

    final YamlNode.Sequence list(YamlNode node, String what, String expected) {
        if (node instanceof YamlNode.Sequence list) {
            return list;
        }
        String hint = node instanceof YamlNode.Mapping ? "; start each entry with '- '" : "";
        error(TYPE, node.position(), what + " must be " + expected + ", found " + node.describe() + hint);
        return null;
    }

    final <T> T optional(YamlNode.Entry entry, Function<YamlNode.Entry, T> bind, T otherwise) {
        if (entry == null) {
            return otherwise;
        }
        T value = bind.apply(entry);
        return value == null ? otherwise : value;
    }

    /** The entries of a map, with its unknown keys reported. */
    final class Keys {
        private final SourcePosition owner;
        private final Map<String, YamlNode.Entry> byKey = new LinkedHashMap<>();
        /** Known keys that an unknown key was taken for, or all of them after a merge key. */
        private final Set<String> excused = new HashSet<>();

        /**
         * @param owner where a missing key is reported: the key that holds the map, or for a
         *     list item the map itself
         */
        Keys(YamlNode.Mapping map, SourcePosition owner, String where, List<String> known) {
            this.owner = owner;
            for (YamlNode.Entry entry : map.entries()) {
                if (known.contains(entry.key())) {
                    byKey.put(entry.key(), entry);
                } else {
                    unknownKey(entry, where, known).ifPresentOrElse(excused::add, () -> {
                        if (entry.key().equals(MERGE_KEY)) {
                            excused.addAll(known);
                        }
                    });
                }
            }
        }

        YamlNode.Entry get(String key) {
            return byKey.get(key);
        }

        YamlNode.Entry required(String key, String what, String fix) {
            YamlNode.Entry entry = byKey.get(key);
            // a misspelt key was reported already, with the right spelling: one finding is enough
            if (entry == null && !excused.contains(key)) {
                error(MISSING_KEY, owner, what + " is missing the required key " + Quoting.quote(key) + "; " + fix);
            }
            return entry;
        }
    }

    /** Reports an unknown key; returns the known key it was probably meant to be. */
    private Optional<String> unknownKey(YamlNode.Entry entry, String where, List<String> known) {
        if (entry.key().equals(MERGE_KEY)) {
            error(
                    UNKNOWN_KEY,
                    entry.keyPosition(),
                    "YAML merge keys ('<<') are not supported " + where + "; write the keys out");
            return Optional.empty();
        }
        Optional<String> meant = suggestion(entry.key(), known);
        error(
                UNKNOWN_KEY,
                entry.keyPosition(),
                "unknown key " + Quoting.quote(entry.key()) + " " + where
                        + meant.map(s -> "; did you mean " + Quoting.quote(s) + "?")
                                .orElse("; known keys: " + String.join(", ", known)));
        return meant;
    }

    /** "; did you mean 'x'?" for a value close to one of the allowed words, else nothing. */
    static String didYouMean(String word, Collection<String> known) {
        return suggestion(word, known)
                .map(s -> "; did you mean " + Quoting.quote(s) + "?")
                .orElse("");
    }

    /** The known key closest to a misspelt one, if it is close enough to be meant. */
    static Optional<String> suggestion(String word, Collection<String> known) {
        // keys are written with underscores; "next-key" and "NEXT_KEY" both mean next_key
        return Spelling.closest(word.toLowerCase(Locale.ROOT).replace('-', '_'), known);
    }
}
