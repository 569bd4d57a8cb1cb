package org.mxpolicy.server;

import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What the admin listener does before any route: the security headers on every answer, only
 * GET and HEAD (the listener changes nothing, so every other method is 405), and, when passwords
 * are configured, HTTP basic auth (RFC 7617) on every path, 401 without or with wrong
 * credentials. Wraps Javalin's handler, so a 404 or an error page gets the same treatment, and
 * Jetty's error handler gets the headers too ({@link #errors}).
 */
final class AdminGuard extends Handler.Wrapper {

    /**
     * Nothing but the listener's own stylesheet and inline SVG: no scripts at all, no frames,
     * no form posts elsewhere.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'self'; img-src 'self' data:;"
            + " form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    static final String REALM = "Basic realm=\"mxpolicy admin\", charset=\"UTF-8\"";

    private final Optional<AdminPasswords> passwords;

    AdminGuard(Optional<AdminPasswords> passwords) {
        this.passwords = passwords;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        var headers = response.getHeaders();
        secure(headers);
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            headers.put(HttpHeader.ALLOW, "GET, HEAD");
            return answer(response, callback, 405, "method not allowed: the admin listener is read only (GET, HEAD)");
        }
        if (passwords.isPresent()
                && !passwords
                        .get()
                        .accepts(Optional.ofNullable(request.getHeaders().get(HttpHeader.AUTHORIZATION)))) {
            headers.put(HttpHeader.WWW_AUTHENTICATE, REALM);
            return answer(response, callback, 401, "unauthorized");
        }
        return super.handle(request, response, callback);
    }

    /**
     * Jetty's error handler with the security headers: a request Jetty refuses before any handler
     * (a bad URI, headers too large) is answered by it alone.
     */
    static Request.Handler errors(Request.Handler errors) {
        return (request, response, callback) -> {
            secure(response.getHeaders());
            return errors.handle(request, response, callback);
        };
    }

    private static void secure(HttpFields.Mutable headers) {
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Cache-Control", "no-store");
    }

    private static boolean answer(Response response, Callback callback, int status, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        Content.Sink.write(response, true, text + "\n", callback);
        return true;
    }
}
