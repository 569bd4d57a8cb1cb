package org.mxpolicy.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The packaged command, {@code bin/mxpolicy} running {@code target/mxpolicy.jar}, for interop
 * tests that exercise the program as users run it.
 */
public final class Launcher {

    private Launcher() {}

    public static ExternalTool.Result run(String... args) {
        Path launcher = Path.of("bin/mxpolicy").toAbsolutePath();
        if (!Files.isRegularFile(Path.of("target/mxpolicy.jar"))) {
            throw new AssertionError("target/mxpolicy.jar is missing: interop tests run after 'package' (./mvnw verify)");
        }
        return ExternalTool.require(launcher.toString()).run(args);
    }
}
