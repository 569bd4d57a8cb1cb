package org.mxpolicy.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where the jar ships a Conscrypt native library that loads, among the platforms the tests run on. */
public final class ConscryptPlatform {

    private static final boolean SHIPPED = linuxWithLibrary();

    private ConscryptPlatform() {}

    /**
     * Skips the test unless this is Linux on x86-64 with glibc 2.35 or newer, or on arm64 with
     * glibc 2.34 or newer: there Conscrypt's native library must load.
     */
    public static void assumeNativeLibraryShipped() {
        assumeTrue(
                SHIPPED,
                "the jar ships Conscrypt's native library for Linux on x86-64 (glibc 2.35) and "
                        + "arm64 (glibc 2.34), macOS on x86-64 and arm64, and Windows on x86-64; the tests check it on Linux");
    }

    /** Whether Conscrypt's native library must load here (see {@link #assumeNativeLibraryShipped()}). */
    public static boolean nativeLibraryShipped() {
        return SHIPPED;
    }

    private static boolean linuxWithLibrary() {
        if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return false;
        }
        String arch = System.getProperty("os.arch");
        int minor;
        if (List.of("amd64", "x86_64").contains(arch)) {
            minor = 35;
        } else if (arch.equals("aarch64")) {
            minor = 34;
        } else {
            return false;
        }
        return glibcMinor() >= minor;
    }

    /** The minor version of glibc 2.x ({@code getconf GNU_LIBC_VERSION}), or -1 (musl, no getconf). */
    private static int glibcMinor() {
        try {
            Process getconf = new ProcessBuilder("getconf", "GNU_LIBC_VERSION")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            Matcher version = Pattern.compile("glibc 2\\.(\\d+)").matcher(out);
            return getconf.waitFor() == 0 && version.find() ? Integer.parseInt(version.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
