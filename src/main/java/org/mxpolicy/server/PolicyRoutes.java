package org.mxpolicy.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import org.eclipse.jetty.io.EndPoint;

/**
 * The request handling of the policy listener. Only one resource exists per host,
 * {@code /.well-known/mta-sts.txt} (RFC 8461 section 3.3); it answers GET and HEAD with status
 * 200, never a redirect (senders must not follow them). Everything else:
 *
 * <ul>
 *   <li>a Host header that names no policy host: 404;
 *   <li>a policy host in the Host header that is not the name the TLS connection was set up for
 *       (SNI): 421 Misdirected Request (RFC 9110 section 15.5.20), since the connection's
 *       certificate was chosen for another host and the client should connect anew;
 *   <li>another path: 404; another method on the policy path: 405.
 * </ul>
 */
public final class PolicyRoutes {

    /** The well-known path of the policy file, RFC 8461 section 3.3. */
    public static final String POLICY_PATH = "/.well-known/mta-sts.txt";
    /**
     * RFC 8461 section 3.3: the policy is served as {@code text/plain}. Jetty writes it without
     * the space ({@code text/plain;charset=utf-8}), the same media type (RFC 9110 section 8.3.1).
     */
    public static final String POLICY_CONTENT_TYPE = "text/plain; charset=utf-8";
    /** RFC 9110 section 15.5.20. */
    public static final int MISDIRECTED_REQUEST = 421;

    private static final String TEXT = "text/plain; charset=utf-8";
    /** The body of a 404, without the line end. */
    static final String NOT_FOUND = "not found";
    /** The body of a 421, without the line end. */
    static final String MISDIRECTED =
            "misdirected request: the Host header names another host than the TLS server name (SNI)";

    private PolicyRoutes() {}

    /**
     * Adds the handlers to a Javalin configuration.
     *
     * @param policies the policy bytes by host name (lower case), asked for each request so that
     *     a reload takes effect at once
     */
    public static void register(RoutesConfig routes, Supplier<Map<String, byte[]>> policies) {
        routes.get(POLICY_PATH, ctx -> servePolicy(ctx, policies.get()));
        routes.head(POLICY_PATH, ctx -> servePolicy(ctx, policies.get()));
        routes.error(404, ctx -> plain(ctx, NOT_FOUND));
        routes.error(405, ctx -> {
            String allow = ClientConfigRoutes.allowedMethods(ctx.path()).orElse("GET, HEAD");
            plain(ctx, "method not allowed: only " + allow.replace(", ", " and "))
                    .header("Allow", allow);
        });
        routes.error(MISDIRECTED_REQUEST, ctx -> plain(ctx, MISDIRECTED));
        routes.error(500, ctx -> plain(ctx, "internal server error"));
    }

    /** The bytes each host serves, by host name. */
    public static Map<String, byte[]> policies(List<PolicyHost> hosts) {
        Map<String, byte[]> bodies = new HashMap<>();
        hosts.forEach(host -> bodies.put(host.host(), host.policy().bytes()));
        return Map.copyOf(bodies);
    }

    private static void servePolicy(Context ctx, Map<String, byte[]> policies) {
        forHost(ctx, policies)
                .ifPresent(policy ->
                        ctx.status(200).contentType(POLICY_CONTENT_TYPE).result(policy));
    }

    /**
     * What the request's host serves, when the Host header names a host of {@code byHost} and the
     * connection was set up for that same host. Otherwise empty, with the status set: 404 for a
     * host that has nothing here, 421 for one named differently in the TLS handshake.
     */
    static <T> Optional<T> forHost(Context ctx, Map<String, T> byHost) {
        Optional<String> host = requestHost(ctx.host());
        int status = hostStatus(host, byHost, ctx.req().getAttribute(EndPoint.SslSessionData.ATTRIBUTE));
        if (status != 200) {
            ctx.status(status);
            return Optional.empty();
        }
        return Optional.of(byHost.get(host.orElseThrow()));
    }

    /**
     * 200 when the host (of the Host header, see {@link #requestHost}) has something in
     * {@code byHost} and the connection was set up for it; 404 for a host with nothing here, 421
     * for one that the TLS handshake named differently.
     *
     * @param sslSessionData the request attribute {@link EndPoint.SslSessionData#ATTRIBUTE}
     */
    static int hostStatus(Optional<String> host, Map<String, ?> byHost, Object sslSessionData) {
        if (host.isEmpty() || !byHost.containsKey(host.get())) {
            return 404;
        }
        return host.equals(sniHost(sslSessionData)) ? 200 : MISDIRECTED_REQUEST;
    }

    static Context plain(Context ctx, String message) {
        return ctx.contentType(TEXT).result(message + "\n");
    }

    /**
     * The host name of a Host header: lower case, without port and trailing dot. IP literals and
     * empty values give nothing, since no policy host is an address.
     */
    static Optional<String> requestHost(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String host = header.strip().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            return Optional.empty();
        }
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.isEmpty() ? Optional.empty() : Optional.of(host);
    }

    /** The server name the client asked for in the TLS handshake, lower case. */
    static Optional<String> sniHost(Object sslSessionData) {
        if (!(sslSessionData instanceof EndPoint.SslSessionData data)) {
            return Optional.empty();
        }
        SSLSession session = data.sslSession();
        if (!(session instanceof ExtendedSSLSession extended)) {
            return Optional.empty();
        }
        for (SNIServerName name : extended.getRequestedServerNames()) {
            if (name instanceof SNIHostName hostName) {
                return requestHost(hostName.getAsciiName());
            }
        }
        return Optional.empty();
    }
}
