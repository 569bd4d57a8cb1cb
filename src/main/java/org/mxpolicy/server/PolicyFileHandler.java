package org.mxpolicy.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers {@code GET} and {@code HEAD} of {@value PolicyRoutes#POLICY_PATH}, the one request
 * MTA-STS senders make (RFC 8461 section 3.3), as a Jetty core handler placed before Javalin. It
 * answers exactly as {@link PolicyRoutes} does (200 with the policy, 404 for a host without one,
 * 421 when Host and SNI differ; same headers and bodies) but without the servlet layer and
 * Javalin's routing, which took about a quarter of the CPU time per request. Every other request
 * (other paths, other methods, a path spelled with escapes) is left to Javalin.
 *
 * <p>The access log and the metrics are Jetty's request log, which sees these requests as any
 * other.
 */
final class PolicyFileHandler extends Handler.Abstract.NonBlocking {

    /** As {@link PolicyRoutes#POLICY_CONTENT_TYPE}, in the spelling Jetty's servlet layer sends. */
    private static final HttpField TEXT_PLAIN = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
    private static final byte[] NOT_FOUND = (PolicyRoutes.NOT_FOUND + "\n").getBytes(StandardCharsets.UTF_8);
    private static final byte[] MISDIRECTED = (PolicyRoutes.MISDIRECTED + "\n").getBytes(StandardCharsets.UTF_8);

    private final Supplier<Map<String, byte[]>> policies;

    /**
     * @param policies the policy bytes by host name, asked for each request so that a reload
     *     takes effect at once
     */
    PolicyFileHandler(Supplier<Map<String, byte[]>> policies) {
        this.policies = policies;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (!(HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method)) || !PolicyRoutes.POLICY_PATH.equals(request.getHttpURI().getPath())) {
            return false;
        }
        Map<String, byte[]> byHost = policies.get();
        Optional<String> host = PolicyRoutes.requestHost(request.getHeaders().get(HttpHeader.HOST));
        int status = PolicyRoutes.hostStatus(host, byHost, request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE));
        byte[] body = switch (status) {
            case 200 -> byHost.get(host.orElseThrow());
            case 404 -> NOT_FOUND;
            default -> MISDIRECTED;
        };
        response.setStatus(status);
        response.getHeaders().add(TEXT_PLAIN);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        // Written for HEAD too: Jetty sends no body for HEAD, but counts the bytes for the access
        // log, which then shows the size a GET gets, as for every other path.
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
