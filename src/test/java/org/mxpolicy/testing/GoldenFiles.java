package org.mxpolicy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares generated text with a reviewed file under {@code src/test/resources/golden/}. After an
 * intended change, refresh every golden file with
 * {@code ./mvnw test -Dtest='*Golden*' -Dgolden.update=true} and review the diff before committing.
 */
public final class GoldenFiles {

    public static final Path ROOT = Path.of("src/test/resources/golden");

    private GoldenFiles() {}

    public static void assertMatches(String name, String actual) {
        Path file = ROOT.resolve(name);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
            }
            assertThat(file)
                    .as("golden file %s (refresh with -Dgolden.update=true)", file)
                    .exists();
            String expected = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(actual).as("output differs from golden file %s", file).isEqualTo(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
