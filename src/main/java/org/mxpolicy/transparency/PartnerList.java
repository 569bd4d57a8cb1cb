package org.mxpolicy.transparency;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MessageText;
import org.mxpolicy.finding.SourcePosition;

/**
 * A list of partner mail domains: one per line, {@code #} starts a comment, blank lines are
 * ignored, a trailing dot and case do not matter, a domain listed twice counts once.
 */
public final class PartnerList {

    /** Letters, digits, hyphens and underscores in dot-separated labels of at most 63 characters. */
    private static final Pattern DOMAIN = Pattern.compile(
            "^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)(\\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)+$");

    private PartnerList() {}

    /**
     * The domains in the order listed.
     *
     * @throws InvalidInputException every line that is not a domain name, each with its position
     */
    public static List<String> read(Reader text, String source) throws InvalidInputException {
        Set<String> domains = new LinkedHashSet<>();
        List<Finding> problems = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(text)) {
            int number = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                number++;
                int hash = line.indexOf('#');
                String content = (hash < 0 ? line : line.substring(0, hash)).strip();
                if (content.isEmpty()) {
                    continue;
                }
                String domain = content.toLowerCase(Locale.ROOT);
                if (domain.endsWith(".")) {
                    domain = domain.substring(0, domain.length() - 1);
                }
                if (!DOMAIN.matcher(domain).matches()) {
                    int column = line.indexOf(content) + 1;
                    problems.add(Finding.error(
                            "partners.not-a-domain",
                            SourcePosition.at(source, number, column),
                            "not a mail domain: '" + MessageText.excerpt(content)
                                    + "' (one domain per line, # for comments)"));
                    continue;
                }
                domains.add(domain);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return List.copyOf(domains);
    }
}
