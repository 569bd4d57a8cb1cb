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
        return ExternalTool.require(path()).run(args);
    }

    /**
     * The launcher's absolute path, for running it through a wrapper such as
     * {@link NetworkNamespace#run}; fails when the jar has not been built.
     */
    public static String path() {
        if (!Files.isRegularFile(Path.of("target/mxpolicy.jar"))) {
            throw new AssertionError("target/mxpolicy.jar is missing: interop tests run after 'package' (./mvnw verify)");
        }
        return Path.of("bin/mxpolicy").toAbsolutePath().toString();
    }
}
