package org.mxpolicy.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
     * {@code bin/mxpolicy} run inside {@code namespace}, as an operator on that network runs it:
     * its DNS, the MX and the system resolver are the namespace's.
     */
    public static ExternalTool.Result runIn(NetworkNamespace namespace, String... args) {
        List<String> command = new ArrayList<>(List.of(path()));
        command.addAll(List.of(args));
        return namespace.run(command.toArray(String[]::new));
    }

    /**
     * The launcher's absolute path, for running it through a wrapper such as
     * {@link NetworkNamespace#run}; fails when the jar has not been built.
     */
    public static String path() {
        if (!Files.isRegularFile(Path.of("target/mxpolicy.jar"))) {
            throw new AssertionError(
                    "target/mxpolicy.jar is missing: interop tests run after 'package' (./mvnw verify)");
        }
        return Path.of("bin/mxpolicy").toAbsolutePath().toString();
    }
}
