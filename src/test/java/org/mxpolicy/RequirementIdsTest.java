package org.mxpolicy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every BSI TR-03108 requirement ID the program prints, its javadoc, its documents and its tests
 * cite names a requirement of the guideline: the list is read from a copy of the guideline's own
 * table ({@code src/test/resources/guidelines/tr-03108-requirements.md}), never from the code.
 */
class RequirementIdsTest {

    private static final Path GUIDELINE_TABLE = Path.of("src/test/resources/guidelines/tr-03108-requirements.md");
    /** An ID as the guideline writes it, and anything that looks like an attempt at one. */
    private static final Pattern CITED = Pattern.compile("TR-03108-[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?");

    private static final Pattern TABLE_ID = Pattern.compile("^\\|\\s*(TR-03108-\\d{2}-[MR])<br>");

    @Test
    void theGuidelineTableListsSixteenRequirements() throws IOException {
        assertThat(guidelineIds()).hasSize(16).contains("TR-03108-03-M", "TR-03108-05-M", "TR-03108-10-M");
    }

    @Test
    void everyCitedRequirementIdExistsInTheGuideline() throws IOException {
        Set<String> known = guidelineIds();
        List<String> unknown = new ArrayList<>();
        for (Path file : citingFiles()) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = CITED.matcher(lines.get(i));
                while (m.find()) {
                    if (!known.contains(m.group())) {
                        unknown.add(file + ":" + (i + 1) + ": " + m.group());
                    }
                }
            }
        }
        assertThat(unknown).as("requirement IDs that TR-03108 does not have").isEmpty();
    }

    @Test
    void theFilesSearchedIncludeTheChecksFindings() throws IOException {
        assertThat(citingFiles())
                .contains(Path.of("src/main/java/org/mxpolicy/check/MxCheck.java"), Path.of("docs/check.md"));
    }

    private static Set<String> guidelineIds() throws IOException {
        Set<String> ids = new TreeSet<>();
        for (String line : Files.readAllLines(GUIDELINE_TABLE, StandardCharsets.UTF_8)) {
            Matcher m = TABLE_ID.matcher(line);
            if (m.find()) {
                ids.add(m.group(1));
            }
        }
        return ids;
    }

    private static List<Path> citingFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String root : List.of("src/main", "src/test/java", "src/test/resources", "docs")) {
            try (Stream<Path> walk = Files.walk(Path.of(root))) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> p.toString().matches(".*\\.(java|md|yaml|yml|ftl|expected|txt|properties)$"))
                        .filter(p -> !p.equals(GUIDELINE_TABLE))
                        .sorted()
                        .forEach(files::add);
            }
        }
        files.add(Path.of("README.md"));
        return files;
    }
}
