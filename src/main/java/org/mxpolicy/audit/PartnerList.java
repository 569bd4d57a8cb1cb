package org.mxpolicy.audit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MessageText;
import org.mxpolicy.finding.SourcePosition;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * A list of partner domains to audit: one domain a line, {@code #} starts a comment, blank lines
 * are ignored, a domain given twice is audited once. Every bad line is reported, each with its
 * line and column.
 */
public final class PartnerList {

    private PartnerList() {}

    /**
     * The domains of {@code text}, in the order first given, lower case, without a final dot.
     *
     * @param source the file's name, for messages
     */
    public static List<String> read(String text, String source) throws InvalidInputException {
        Set<String> domains = new LinkedHashSet<>();
        List<Finding> problems = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String content = hash >= 0 ? line.substring(0, hash) : line;
            String domain = content.strip();
            if (domain.isEmpty()) {
                continue;
            }
            int column = content.indexOf(domain) + 1;
            SourcePosition position = SourcePosition.at(source, i + 1, column);
            if (domain.chars().anyMatch(Character::isWhitespace)) {
                problems.add(Finding.error(
                        "partners.domain", position, "one domain a line, not \"" + MessageText.excerpt(domain) + "\""));
                continue;
            }
            String bare = domain.toLowerCase(Locale.ROOT);
            bare = bare.endsWith(".") ? bare.substring(0, bare.length() - 1) : bare;
            if (bare.isEmpty()
                    || !bare.contains(".")
                    || bare.startsWith(".")
                    || bare.contains("..")
                    || !bare.matches("[a-z0-9._-]+")) {
                problems.add(Finding.error(
                        "partners.domain",
                        position,
                        "\"" + MessageText.excerpt(domain) + "\" is not a mail domain such as example.com"));
                continue;
            }
            try {
                Name.fromString(bare + ".");
            } catch (TextParseException e) {
                problems.add(Finding.error(
                        "partners.domain",
                        position,
                        "\"" + MessageText.excerpt(domain) + "\" is not a domain name: " + e.getMessage()));
                continue;
            }
            domains.add(bare);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        if (domains.isEmpty()) {
            throw new InvalidInputException(
                    "partners.empty", SourcePosition.file(source), "names no domain (one domain a line, # comments)");
        }
        return List.copyOf(domains);
    }
}
