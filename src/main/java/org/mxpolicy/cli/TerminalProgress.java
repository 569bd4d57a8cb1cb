package org.mxpolicy.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Locale;
import org.mxpolicy.dnssec.Progress;

/**
 * How far a long run is, as one line on stderr rewritten in place ({@code \r}) whenever the
 * percentage changes, and ended with a newline at 100%: {@code signing example.org: 45%
 * (45,000/100,000 RRsets)}.
 */
final class TerminalProgress implements Progress {

    private final PrintWriter err;
    private String task;
    private int percent;

    TerminalProgress(PrintWriter err) {
        this.err = err;
    }

    /**
     * The progress to report to: a line on {@code err} when {@code wanted} says so, or when it is
     * {@code null} and the run is at a terminal; nothing otherwise.
     */
    static Progress on(PrintWriter err, Boolean wanted) {
        return (wanted == null ? atTerminal() : wanted) ? new TerminalProgress(err) : Progress.NONE;
    }

    @Override
    public synchronized void advanced(String task, long done, long total) {
        if (!task.equals(this.task)) {
            this.task = task;
            percent = -1;
        }
        int now = total == 0 ? 100 : (int) (done * 100 / total);
        if (now <= percent) {
            return; // the same figure, or a late call from another thread
        }
        percent = now;
        err.print(String.format(Locale.ROOT, "\r%s: %d%% (%,d/%,d RRsets)", task, now, done, total));
        if (now == 100) {
            err.println();
        }
        err.flush();
    }

    /**
     * Whether the JVM runs at a terminal. {@code System.console()} alone says so up to Java 21; from
     * Java 22 on it may be a console for redirected streams too, and {@code Console.isTerminal()}
     * (looked up by reflection, as the code is built for Java 17) tells. Neither can tell stderr
     * apart from stdin and stdout; {@code --no-progress} is there for a terminal with stderr
     * redirected.
     */
    static boolean atTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(console));
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
