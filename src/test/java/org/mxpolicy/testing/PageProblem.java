package org.mxpolicy.testing;

/**
 * Something that went wrong while a page loaded in {@link HeadlessChromium}: what a person would
 * see in the browser's console or network panel.
 *
 * @param kind what sort of problem
 * @param url the page, script or resource concerned (empty when the browser names none)
 * @param text the browser's own message
 */
public record PageProblem(Kind kind, String url, String text) {

    public enum Kind {
        /** {@code console.error}, an uncaught exception, or an error the browser logs itself. */
        CONSOLE_ERROR,
        /** A subresource that failed at the network level or answered with HTTP 400 or above. */
        FAILED_REQUEST,
        /** Something the page's Content-Security-Policy blocked. */
        CSP_VIOLATION
    }

    @Override
    public String toString() {
        return kind + " " + (url.isEmpty() ? "" : url + ": ") + text;
    }
}
