package org.mxpolicy.testing;

import java.nio.file.Path;

/**
 * The npm packages the browser tests use (the Nu HTML Checker's jar from {@code vnu-jar}, and
 * {@code axe-core}), installed by scripts/test-all into one known directory rather than into the
 * project, so that {@code mvn clean} keeps them. {@code MXPOLICY_TEST_TOOLS} names another.
 */
final class NodeModules {

    static final Path DIR =
            Path.of(System.getenv().getOrDefault("MXPOLICY_TEST_TOOLS", "/opt/mxpolicy-test-tools"), "node_modules");

    private NodeModules() {}

    /** A file of an installed package; skips the test locally (fails under CI) when it is missing. */
    static Path require(String file) {
        return ExternalTool.requireFile(DIR.resolve(file), "scripts/test-all installs it with npm when run as root");
    }
}
