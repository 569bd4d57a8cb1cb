package org.mxpolicy.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Locale;

/** Where the jar ships Conscrypt's native library, among the platforms the tests run on. */
public final class ConscryptPlatform {

    private ConscryptPlatform() {}

    /**
     * Skips the test unless this is Linux on x86-64 or arm64, where Conscrypt's native library
     * must load (it needs glibc 2.35, which every Linux the tests run on has).
     */
    public static void assumeNativeLibraryShipped() {
        assumeTrue(nativeLibraryShipped(), "the jar ships Conscrypt's native library for Linux on x86-64 and "
                + "arm64, macOS on x86-64 and arm64, and Windows on x86-64; the tests check it on Linux");
    }

    /** Whether this is Linux on x86-64 or arm64 (see {@link #assumeNativeLibraryShipped()}). */
    public static boolean nativeLibraryShipped() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        return os.startsWith("linux") && List.of("amd64", "x86_64", "aarch64").contains(System.getProperty("os.arch"));
    }
}
