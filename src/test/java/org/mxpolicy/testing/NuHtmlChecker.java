package org.mxpolicy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Nu HTML Checker (the W3C validator's engine), run offline from the jar npm's
 * {@code vnu-jar} ships, as {@code java -jar vnu.jar --format json}. It runs in its own JVM so
 * that its many libraries stay off the test class path; one run checks many documents.
 */
public final class NuHtmlChecker {

    private static final Duration LIMIT = Duration.ofMinutes(3);

    private final Path jar;

    private NuHtmlChecker(Path jar) {
        this.jar = jar;
    }

    /** The checker; skips the test locally (fails under CI) when vnu.jar is not installed. */
    public static NuHtmlChecker require() {
        return new NuHtmlChecker(NodeModules.require("vnu-jar/build/dist/vnu.jar"));
    }

    /**
     * What the checker says is wrong with a document.
     *
     * @param document the name the document was checked under
     * @param line 1-based, of the end of the offending markup
     */
    public record Error(String document, int line, int column, String message, String extract) {
        @Override
        public String toString() {
            return document + ":" + line + ":" + column + ": " + message + " [" + extract.strip() + "]";
        }
    }

    public List<Error> check(String name, String html) throws IOException, InterruptedException {
        return check(Map.of(name, html));
    }

    /**
     * Checks documents by name (letters, digits, dot, dash, underscore), all in one run of the
     * checker, and returns its errors; warnings are left out.
     */
    public List<Error> check(Map<String, String> documents) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("mxpolicy-vnu-");
        try {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar",
                    jar.toString(),
                    "--format",
                    "json",
                    "--stdout"));
            for (Map.Entry<String, String> document : documents.entrySet()) {
                if (!document.getKey().matches("[A-Za-z0-9._-]+")) {
                    throw new IllegalArgumentException("not a plain document name: " + document.getKey());
                }
                Path file = dir.resolve(document.getKey() + ".html");
                Files.writeString(file, document.getValue(), StandardCharsets.UTF_8);
                command.add(file.toString());
            }
            ExternalTool.Result run = ExternalTool.require(command.get(0))
                    .run(LIMIT, null, command.subList(1, command.size()).toArray(String[]::new));
            // 0: no errors, 1: errors found; anything else is the checker itself failing
            if (run.exitCode() > 1) {
                run.assertSuccess();
            }
            return errors(new ObjectMapper().readTree(run.stdout()));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static List<Error> errors(JsonNode report) {
        List<Error> errors = new ArrayList<>();
        for (JsonNode message : report.path("messages")) {
            String type = message.path("type").asText();
            if (!type.equals("error") && !type.equals("non-document-error")) {
                continue;
            }
            String url = message.path("url").asText();
            String file = url.substring(url.lastIndexOf('/') + 1);
            String document = file.endsWith(".html") ? file.substring(0, file.length() - ".html".length()) : file;
            errors.add(new Error(
                    document,
                    message.path("lastLine").asInt(),
                    message.path("firstColumn").asInt(message.path("lastColumn").asInt()),
                    message.path("message").asText(),
                    message.path("extract").asText()));
        }
        return errors;
    }
}
