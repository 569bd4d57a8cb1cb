package org.mxpolicy.config;

import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * Reads and validates the provider config (YAML; every key is described in {@code docs/config.md}).
 *
 * <p>Every problem is reported, not just the first: unknown keys (with the closest known key as
 * a suggestion), wrong types, missing or duplicate keys, invalid names, values out of range,
 * records whose owner lies outside every configured zone, and MX hosts that are configured
 * differently under different domains. Each finding carries the {@code file:line:column} of the
 * offending key or value.
 *
 * <p>Positions in the model: a {@link MailDomain} is at its {@code name} value, an {@link MxHost}
 * at its {@code host} value, a {@link ZoneSettings} at its key, {@link TlsaSettings},
 * {@link MtaStsSettings}, {@link TlsRptSettings} and {@link ClientServices} at their key (TLSA
 * defaults at the host), and file references, patterns, URIs and endpoints at their value.
 */
public final class ConfigLoader {

    /**
     * The largest config read, 1 MiB (in characters, which are at least one byte each): ample for
     * thousands of domains. It is checked before parsing, because the YAML parser takes time
     * quadratic in the length of a single huge value.
     */
    public static final InputLimit SIZE_LIMIT = new InputLimit("config file", "config.size", 1024 * 1024);

    static final String INCLUDE = "include";
    static final String INCLUDE_ID = "config.include";
    private static final List<String> INCLUDED_KEYS = List.of("zones", "domains");

    private ConfigLoader() {}

    /**
     * A valid config and the warnings about it: things that work but are likely not what the
     * operator wants (for example an {@code https:} report URI accepted with {@code allow_https}).
     */
    public record Result(ProviderConfig config, List<Finding> warnings) {
        public Result {
            Objects.requireNonNull(config, "config");
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Reads a config.
     *
     * @param reader the YAML text, at most {@link #SIZE_LIMIT}; not closed
     * @param source the name to show in messages, usually the path as given by the user
     * @return the config and its warnings, in file order
     * @throws InvalidInputException when there is at least one error; its findings are every
     *     error and warning found, in file order; or the one finding that the text is over
     *     {@link #SIZE_LIMIT}, read no further
     */
    public static Result load(Reader reader, String source) throws InvalidInputException {
        Outcome outcome = read(reader, source);
        if (outcome.config().isEmpty() || outcome.hasErrors()) {
            throw new InvalidInputException(outcome.findings());
        }
        return new Result(outcome.config().get(), outcome.findings());
    }

    /**
     * What reading a config gave: the config as far as it could be bound (with errors, the parts
     * that were in error are left out) and every error and warning, in file order.
     */
    public record Outcome(Optional<ProviderConfig> config, List<Finding> findings) {
        public Outcome {
            findings = List.copyOf(findings);
        }

        public boolean hasErrors() {
            return findings.stream().anyMatch(Finding::isError);
        }
    }

    /**
     * Reads a config without throwing for the errors in it, so that a caller can add the problems
     * of the files it names to the same report.
     *
     * @throws InvalidInputException only when the text is over {@link #SIZE_LIMIT}
     */
    public static Outcome read(Reader reader, String source) throws InvalidInputException {
        return read(reader, source, ConfigIncludes.NONE);
    }

    /**
     * As {@link #read(Reader, String)}, with the files of {@code include} patterns from
     * {@code includes}; their problems are reported at their own file, line and column.
     */
    public static Outcome read(Reader reader, String source, ConfigIncludes includes) throws InvalidInputException {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(source, "source");
        String text = SIZE_LIMIT.read(reader, source);
        List<Finding> findings = new ArrayList<>();
        YamlTreeReader.Document document = YamlTreeReader.read(text, source);
        findings.addAll(document.findings());
        ProviderConfig config = null;
        if (!document.hasErrors() || document.root().isPresent()) {
            ConfigBinder binder = new ConfigBinder(source);
            List<YamlNode.Mapping> includedFiles = new ArrayList<>();
            if (document.root().isPresent()) {
                includedFiles.addAll(included(document.root().get(), includes, findings));
            }
            config = binder.bind(document.root().orElse(null), includedFiles);
            // a node the reader reported on (an unresolved alias) is not reported a second time
            Set<SourcePosition> reported =
                    document.findings().stream().map(Finding::position).collect(Collectors.toSet());
            binder.findings().stream()
                    .filter(f -> !reported.contains(f.position()))
                    .forEach(findings::add);
        }
        // an alias shares its node (and a profile its settings), so a problem inside may have been
        // reported once per use
        findings = new ArrayList<>(new LinkedHashSet<>(findings));
        findings.sort(Finding.BY_POSITION);
        return new Outcome(Optional.ofNullable(config), findings);
    }

    /** The included files, each a map of {@code zones} and {@code domains}; their problems go to {@code findings}. */
    private static List<YamlNode.Mapping> included(YamlNode root, ConfigIncludes includes, List<Finding> findings) {
        List<YamlNode.Mapping> domains = new ArrayList<>();
        if (!(root instanceof YamlNode.Mapping top)) {
            return domains;
        }
        YamlNode.Entry include = top.entries().stream()
                .filter(e -> e.key().equals(INCLUDE))
                .findFirst()
                .orElse(null);
        if (include == null) {
            return domains;
        }
        List<YamlNode> patterns =
                include.value() instanceof YamlNode.Sequence list ? list.items() : List.of(include.value());
        for (YamlNode pattern : patterns) {
            if (!(pattern instanceof YamlNode.Scalar scalar) || scalar.type() != YamlNode.ScalarType.STRING) {
                findings.add(Finding.error(
                        INCLUDE_ID,
                        pattern.position(),
                        "'include' takes a file pattern or a list of them, as in 'include: conf.d/*.yaml', not "
                                + pattern.describe()));
                continue;
            }
            try {
                // Each file is parsed on its own, so thousands of them are parsed on every core;
                // the results are taken in file order, as are their findings.
                List<ConfigIncludes.Included> files = includes.resolve(scalar.text(), scalar.position());
                List<ParsedInclude> parsed = files.parallelStream()
                        .map(file -> {
                            List<Finding> problems = new ArrayList<>();
                            return new ParsedInclude(includedFile(file, problems), problems);
                        })
                        .toList();
                for (ParsedInclude file : parsed) {
                    findings.addAll(file.findings());
                    file.mapping().ifPresent(domains::add);
                }
            } catch (InvalidInputException e) {
                findings.addAll(e.findings());
            }
        }
        return domains;
    }

    private record ParsedInclude(Optional<YamlNode.Mapping> mapping, List<Finding> findings) {}

    /** An included file holds {@code zones} and {@code domains}, nothing else. */
    private static Optional<YamlNode.Mapping> includedFile(ConfigIncludes.Included file, List<Finding> findings) {
        YamlTreeReader.Document document = YamlTreeReader.read(file.text(), file.source());
        findings.addAll(document.findings());
        if (document.root().isEmpty()) {
            return Optional.empty();
        }
        if (!(document.root().get() instanceof YamlNode.Mapping map)) {
            findings.add(Finding.error(
                    INCLUDE_ID,
                    document.root().get().position(),
                    "an included file must be a map with 'zones' and 'domains', not "
                            + document.root().get().describe()));
            return Optional.empty();
        }
        List<YamlNode.Entry> kept = new ArrayList<>();
        for (YamlNode.Entry entry : map.entries()) {
            if (INCLUDED_KEYS.contains(entry.key())) {
                kept.add(entry);
            } else {
                findings.add(Finding.error(
                        INCLUDE_ID,
                        entry.keyPosition(),
                        "an included file holds only 'zones' and 'domains', not " + Quoting.quote(entry.key())
                                + "; put it in the main config"));
            }
        }
        return Optional.of(new YamlNode.Mapping(kept, map.position()));
    }
}
