package org.mxpolicy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One WebSocket to Chromium's DevTools endpoint, carrying commands and events of the browser and,
 * flattened into it with a session id, of every page attached to it. Commands wait for their
 * answer; events go to the sink registered for their session.
 *
 * @see <a href="https://chromedevtools.github.io/devtools-protocol/">Chrome DevTools Protocol</a>
 */
final class DevToolsConnection implements WebSocket.Listener, AutoCloseable {

    /** Long, because six builds share two cores and a first page load compiles a lot of code. */
    static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);

    private static final String BROWSER = "";

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, Consumer<JsonNode>> sinks = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<WebSocket> socket;

    private DevToolsConnection(URI endpoint) {
        // No Origin header is sent, so Chromium accepts the connection without --remote-allow-origins.
        this.socket = HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(endpoint, this)
                .toCompletableFuture();
    }

    static DevToolsConnection open(URI endpoint) throws InterruptedException {
        DevToolsConnection connection = new DevToolsConnection(endpoint);
        await(connection.socket, "connect to " + endpoint);
        return connection;
    }

    /** Sends a browser-level command. */
    JsonNode send(String method, Map<String, ?> params) throws InterruptedException {
        return send(BROWSER, method, params);
    }

    /**
     * Sends a command to a session (a page attached with {@code flatten}) and waits for its result.
     *
     * @throws AssertionError when the browser answers with an error or not within the limit
     */
    JsonNode send(String session, String method, Map<String, ?> params) throws InterruptedException {
        return send(session, method, params, COMMAND_LIMIT);
    }

    /** Sends a command that may take longer than {@link #COMMAND_LIMIT} (a long script in the page). */
    JsonNode send(String session, String method, Map<String, ?> params, Duration limit) throws InterruptedException {
        long id = ids.incrementAndGet();
        ObjectNode message = json.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", json.valueToTree(params));
        if (!session.isEmpty()) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        WebSocket ws = await(socket, "connection");
        synchronized (this) {
            // One frame at a time: the WebSocket refuses a send while the previous one is in flight.
            await(ws.sendText(message.toString(), true).toCompletableFuture(), method);
        }
        JsonNode reply = await(answer, method, limit);
        if (reply.has("error")) {
            throw new AssertionError("DevTools " + method + " failed: " + reply.get("error"));
        }
        return reply.path("result");
    }

    void onEvents(String session, Consumer<JsonNode> sink) {
        sinks.put(session, sink);
    }

    void forget(String session) {
        sinks.remove(session);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            dispatch(text);
        }
        webSocket.request(1);
        return null;
    }

    private void dispatch(String text) {
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (IOException e) {
            return;
        }
        if (message.has("id")) {
            CompletableFuture<JsonNode> answer =
                    pending.remove(message.get("id").asLong());
            if (answer != null) {
                answer.complete(message);
            }
            return;
        }
        Consumer<JsonNode> sink = sinks.get(message.path("sessionId").asText(BROWSER));
        if (sink != null) {
            sink.accept(message);
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        failAll(new IOException("DevTools connection closed: " + statusCode + " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        failAll(error);
    }

    private void failAll(Throwable cause) {
        pending.values().forEach(answer -> answer.completeExceptionally(cause));
        pending.clear();
    }

    private static <T> T await(CompletableFuture<T> future, String what) throws InterruptedException {
        return await(future, what, COMMAND_LIMIT);
    }

    private static <T> T await(CompletableFuture<T> future, String what, Duration limit) throws InterruptedException {
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("DevTools " + what + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("DevTools " + what + ": no answer within " + limit.toSeconds() + " s");
        }
    }

    @Override
    public void close() {
        socket.thenAccept(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
        failAll(new IOException("DevTools connection closed by the test"));
    }
}
