package org.mxpolicy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.Security;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The layering of the code, read from the package table of docs/ARCHITECTURE.md: the table is
 * the rule, so the document cannot drift from the code. Each package may use the project
 * packages its row names and no others; every package has a row and every row a package.
 */
class ArchitectureTest {

    private static final String ROOT = "org.mxpolicy";
    private static final Path ARCHITECTURE = Path.of("docs/ARCHITECTURE.md");
    /** The class where time, the exit code and the wiring of adapters enter the program. */
    private static final String COMPOSITION_ROOT = ROOT + ".cli.Main";

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    private static final Pattern TABLE_ROW = Pattern.compile("^\\|\\s*`([a-z]+)`\\s*\\|(.*)\\|(.*)\\|\\s*$");
    private static final Pattern PACKAGE_NAME = Pattern.compile("`([a-z]+)`");

    @Test
    void everyPackageHasARowAndEveryRowAPackage() throws IOException {
        Set<String> code = MAIN.stream()
                .map(JavaClass::getPackageName)
                .filter(p -> p.startsWith(ROOT + "."))
                .map(p -> p.substring(ROOT.length() + 1)
                        .split("\\.", -1)[0]) // a sub-package belongs to its package's row
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(packageTable().keySet()))
                .as("packages in the table of %s", ARCHITECTURE)
                .isEqualTo(code);
    }

    @TestFactory
    Stream<DynamicTest> eachPackageUsesOnlyThePackagesItsRowNames() throws IOException {
        Map<String, Set<String>> table = packageTable();
        return table.entrySet().stream()
                .map(row -> DynamicTest.dynamicTest(row.getKey(), () -> {
                    List<String> forbidden = new ArrayList<>();
                    for (String other : table.keySet()) {
                        if (!other.equals(row.getKey()) && !row.getValue().contains(other)) {
                            forbidden.add(ROOT + "." + other + "..");
                        }
                    }
                    if (!forbidden.isEmpty()) {
                        noClasses()
                                .that()
                                .resideInAPackage(ROOT + "." + row.getKey() + "..")
                                .should()
                                .dependOnClassesThat()
                                .resideInAnyPackage(forbidden.toArray(String[]::new))
                                .because(ARCHITECTURE + " says which packages '" + row.getKey() + "' may use")
                                .check(MAIN);
                    }
                }));
    }

    @Test
    void onlyMainEndsTheProcess() {
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName(COMPOSITION_ROOT)
                .should()
                .callMethod(System.class, "exit", int.class)
                .orShould()
                .callMethod(Runtime.class, "halt", int.class)
                .because("every command returns its exit code to Main")
                .check(MAIN);
    }

    @Test
    void timeEntersOnlyAtTheCompositionRoot() {
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName(COMPOSITION_ROOT)
                .should()
                .callMethod(Clock.class, "systemUTC")
                .orShould()
                .callMethod(Clock.class, "systemDefaultZone")
                .orShould()
                .callMethod(Instant.class, "now")
                .orShould()
                .callMethod(LocalDate.class, "now")
                .orShould()
                .callMethod(LocalDateTime.class, "now")
                .orShould()
                .callMethod(OffsetDateTime.class, "now")
                .orShould()
                .callMethod(ZonedDateTime.class, "now")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .because("time is an argument: tests and the rollover gate set the clock")
                .check(MAIN);
    }

    @Test
    void noProviderIsInstalledForTheWholeJvm() {
        noClasses()
                .should()
                .callMethod(Security.class, "insertProviderAt", Provider.class, int.class)
                .orShould()
                .callMethod(Security.class, "addProvider", Provider.class)
                .orShould()
                .callMethod(Security.class, "setProperty", String.class, String.class)
                .because("providers are passed per call, so one part cannot change the cryptography of another")
                .check(MAIN);
    }

    @Test
    void onlyTheCommandsKnowPicocli() {
        noClasses()
                .that()
                .resideOutsideOfPackage(ROOT + ".cli..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("picocli..")
                .check(MAIN);
    }

    @Test
    void onlyTheServerKnowsTheWebFramework() {
        noClasses()
                .that()
                .resideOutsideOfPackage(ROOT + ".server..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.javalin..", "org.eclipse.jetty..")
                .check(MAIN);
    }

    /** Package name to the project packages its row says it may use. */
    static Map<String, Set<String>> packageTable() throws IOException {
        Map<String, Set<String>> table = new LinkedHashMap<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(ARCHITECTURE)) {
            if (line.startsWith("## ")) {
                inSection = line.startsWith("## Packages");
                continue;
            }
            Matcher row = inSection ? TABLE_ROW.matcher(line) : null;
            if (row == null || !row.matches()) {
                continue;
            }
            Set<String> uses = new TreeSet<>();
            Matcher name = PACKAGE_NAME.matcher(row.group(3));
            while (name.find()) {
                uses.add(name.group(1));
            }
            assertThat(table.put(row.group(1), uses))
                    .as("row of %s given twice", row.group(1))
                    .isNull();
        }
        assertThat(table)
                .as("the package table under '## Packages' in %s", ARCHITECTURE)
                .isNotEmpty();
        return table;
    }
}
