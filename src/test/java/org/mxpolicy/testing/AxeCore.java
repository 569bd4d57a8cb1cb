package org.mxpolicy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The axe-core accessibility engine from npm, run in a page of {@link HeadlessChromium}. It is
 * injected through DevTools evaluation, which the page's Content-Security-Policy does not govern,
 * so a page with a strict CSP is checked as it is served.
 */
public final class AxeCore {

    /** WCAG 2.x levels A and AA: contrast, names and labels, structure. */
    private static final String RULES =
            "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},"
                    + " resultTypes: ['violations']}";

    private static final Duration LIMIT = Duration.ofMinutes(5);

    private final String source;

    private AxeCore(String source) {
        this.source = source;
    }

    /** axe-core; skips the test locally (fails under CI) when it is not installed. */
    public static AxeCore require() throws IOException {
        return new AxeCore(Files.readString(NodeModules.require("axe-core/axe.min.js"), StandardCharsets.UTF_8));
    }

    /**
     * A rule the page breaks.
     *
     * @param rule axe's rule id, such as {@code color-contrast} or {@code label}
     * @param targets CSS selectors of the offending elements
     */
    public record Violation(String rule, String impact, String help, List<String> targets) {
        @Override
        public String toString() {
            return rule + " (" + impact + "): " + help + " " + targets;
        }
    }

    /**
     * Checks the page as it is now (load it first) and returns the WCAG A and AA violations,
     * leaving out the elements {@code excluded} selects (CSS selectors).
     */
    public List<Violation> check(BrowserPage page, String... excluded) throws InterruptedException {
        if (!page.evaluate("typeof window.axe === 'object'").asBoolean()) {
            page.evaluate(source + "\n;true");
        }
        // Contrast is computed element by element: a page of thousands of links takes minutes here.
        String context = "{include: [document], exclude: "
                + new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(List.of(excluded)) + "}";
        JsonNode found = page.evaluate(
                "axe.run(" + context + ", " + RULES + ").then(r => r.violations.map(v => ({"
                        + "rule: v.id, impact: v.impact, help: v.help,"
                        + " targets: v.nodes.map(n => n.target.join(' ') + (n.failureSummary ? ': '"
                        + " + n.failureSummary.replace(/\\s+/g, ' ') : ''))})))",
                LIMIT);
        List<Violation> violations = new ArrayList<>();
        for (JsonNode v : found) {
            List<String> targets = new ArrayList<>();
            v.path("targets").forEach(t -> targets.add(t.asText()));
            violations.add(new Violation(
                    v.path("rule").asText(),
                    v.path("impact").asText(),
                    v.path("help").asText(),
                    targets));
        }
        return violations;
    }
}
