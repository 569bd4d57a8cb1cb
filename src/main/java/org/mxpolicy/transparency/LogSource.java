package org.mxpolicy.transparency;

import java.io.IOException;
import java.io.Reader;
import java.util.Objects;

/**
 * One mail log to read: its name for messages, the year its last line was written in (for
 * timestamps without a year), and a way to open it, once per pass.
 *
 * @param name the file name, as messages give it
 * @param endYear the year of the log's last line: the year of the file's last change, or the
 *     operator's {@code --year}
 * @param opener opens the text from its beginning (decompressed)
 */
public record LogSource(String name, int endYear, Opener opener) {

    /** Opens the log's text. */
    @FunctionalInterface
    public interface Opener {
        Reader open() throws IOException;
    }

    public LogSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(opener, "opener");
    }
}
