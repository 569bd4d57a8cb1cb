package org.mxpolicy.tls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The TLS rules of one edition of BSI TR-03116-4: the protocol versions, cipher suites,
 * key-exchange groups and signature schemes it allows, the minimum key sizes and the hashes
 * allowed in certificate signatures, each entry with the section of the edition that lists it.
 * The editions are data files under {@code tls-profiles/} on the class path, listed in
 * {@code tls-profiles/editions.txt}; {@link #inForceAt} picks the one that applies on a date.
 *
 * @param edition the document, e.g. {@code TR-03116-4}
 * @param version the edition as the document names it, e.g. {@code Stand 2022}
 * @param published the edition's date; it applies from then until the next edition
 */
public record TlsRuleSet(
        String edition,
        String title,
        String version,
        LocalDate published,
        List<Rule> protocols,
        List<Rule> tls13CipherSuites,
        List<Rule> tls12CipherSuites,
        List<Rule> tls13Groups,
        List<Rule> tls12Groups,
        List<Rule> signatureSchemes,
        List<Rule> minKeyBits,
        List<Rule> certificateSignatureHashes) {

    private static final String DIRECTORY = "/tls-profiles/";

    /**
     * One allowed thing.
     *
     * @param name the IANA TLS name (suites, groups, signature schemes), the JSSE protocol name
     *     ({@code TLSv1.3}), or the algorithm ({@code RSA}, {@code SHA-256})
     * @param section where the edition lists it
     * @param kind for groups: {@code ec} or {@code ff}; empty otherwise
     * @param bits for key sizes: the minimum; 0 otherwise
     * @param tls for signature schemes allowed in only one version: {@code 1.2} or {@code 1.3}
     */
    public record Rule(String name, String section, String kind, int bits, String tls, String note) {
        public Rule {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(section, "section");
        }
    }

    public TlsRuleSet {
        protocols = List.copyOf(protocols);
        tls13CipherSuites = List.copyOf(tls13CipherSuites);
        tls12CipherSuites = List.copyOf(tls12CipherSuites);
        tls13Groups = List.copyOf(tls13Groups);
        tls12Groups = List.copyOf(tls12Groups);
        signatureSchemes = List.copyOf(signatureSchemes);
        minKeyBits = List.copyOf(minKeyBits);
        certificateSignatureHashes = List.copyOf(certificateSignatureHashes);
    }

    /** Every edition on the class path, oldest first. */
    public static List<TlsRuleSet> editions() {
        List<TlsRuleSet> all = new ArrayList<>();
        for (String file : resourceLines("editions.txt")) {
            try (InputStream in = resource(file)) {
                all.add(read(new InputStreamReader(in, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + DIRECTORY + file, e);
            }
        }
        all.sort(Comparator.comparing(TlsRuleSet::published));
        return List.copyOf(all);
    }

    /** The latest edition published on or before {@code date}: the one that applies then. */
    public static Optional<TlsRuleSet> inForceAt(LocalDate date) {
        TlsRuleSet found = null;
        for (TlsRuleSet edition : editions()) {
            if (!edition.published().isAfter(date)) {
                found = edition;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Reads one edition's file. */
    public static TlsRuleSet read(Reader yaml) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        return new TlsRuleSet(
                text(root, "edition"),
                text(root, "title"),
                text(root, "version"),
                LocalDate.parse(text(root, "published")),
                rules(root, "protocols"),
                rules(root, "tls13_cipher_suites"),
                rules(root, "tls12_cipher_suites"),
                rules(root, "tls13_groups"),
                rules(root, "tls12_groups"),
                rules(root, "signature_schemes"),
                rules(root, "min_key_bits"),
                rules(root, "certificate_signature_hashes"));
    }

    /** Edition and version, e.g. {@code TR-03116-4 (Stand 2022, 2022-01-24)}. */
    public String describe() {
        return edition + " (" + version + ", " + published + ")";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("TLS rule set without " + field);
        }
        return value.asText();
    }

    private static List<Rule> rules(JsonNode root, String field) {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode entry : root.path(field)) {
            rules.add(new Rule(
                    text(entry, "name"),
                    text(entry, "section"),
                    entry.path("kind").asText(""),
                    entry.path("bits").asInt(0),
                    entry.path("tls").asText(""),
                    entry.path("note").asText("")));
        }
        return rules;
    }

    private static List<String> resourceLines(String file) {
        try (InputStream in = resource(file);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + DIRECTORY + file, e);
        }
    }

    private static InputStream resource(String file) {
        InputStream in = TlsRuleSet.class.getResourceAsStream(DIRECTORY + file);
        if (in == null) {
            throw new IllegalStateException(DIRECTORY + file + " is missing from the class path");
        }
        return in;
    }
}
