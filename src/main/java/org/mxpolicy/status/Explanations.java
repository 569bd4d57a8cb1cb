package org.mxpolicy.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * What a check result id means, for the operator who meets it at night: one or two sentences
 * per id or id family ({@code status/explanations.properties}), the most specific one found.
 */
final class Explanations {

    private static final Properties TEXTS = load();

    private Explanations() {}

    /** The text of the id, else of its family (the part before the dot), else empty. */
    static String of(String id) {
        String exact = TEXTS.getProperty(id);
        if (exact != null) {
            return exact;
        }
        int dot = id.indexOf('.');
        return dot < 0 ? "" : TEXTS.getProperty(id.substring(0, dot), "");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Explanations.class.getResourceAsStream("/status/explanations.properties")) {
            if (in == null) {
                throw new IllegalStateException("status/explanations.properties is missing from the build");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
