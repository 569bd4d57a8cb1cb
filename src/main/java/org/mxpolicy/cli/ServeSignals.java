package org.mxpolicy.cli;

import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a stop call and SIGHUP into a reload call, so the long-running
 * {@code serve} command can stop cleanly and return its exit code through {@code Main} (exit 0),
 * rather than the JVM's default of running shutdown hooks and exiting with 143 (or, for SIGHUP,
 * exiting at all). {@code sun.misc.Signal} is the JDK's only signal API.
 */
final class ServeSignals {

    private ServeSignals() {}

    static void install(Runnable stop, Runnable reload) {
        handle("TERM", stop);
        handle("INT", stop);
        handle("HUP", reload);
    }

    private static void handle(String name, Runnable action) {
        try {
            Signal.handle(new Signal(name), signal -> action.run());
        } catch (IllegalArgumentException unsupported) {
            // Not a POSIX system, or the signal is reserved by the runtime (-Xrs): keep its default.
        }
    }
}
