package org.mxpolicy.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A deadline for every request of the HTTPS listener. The idle timeout closes a connection on
 * which no bytes move; a client that sends a byte now and then (slowloris) never trips it and
 * could hold a connection for hours with 8 KiB of headers. Each connection therefore has to
 * deliver a complete request (handshake, headers, body) within {@link ServerLimits#requestTimeout()}
 * of being opened or of its previous answer, or it is closed.
 *
 * <p>Built from Jetty's extension points: a {@link Connection.Listener} on the connector starts
 * the deadline when an HTTP connection opens, and the {@link #handler() handler} starts it anew
 * when a request completes.
 */
final class RequestDeadline implements Connection.Listener {

    private final Duration timeout;
    private final Scheduler scheduler;
    private final Map<Connection, Scheduler.Task> deadlines = new ConcurrentHashMap<>();

    RequestDeadline(Duration timeout, Scheduler scheduler) {
        this.timeout = timeout;
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        // The HTTP connection, not the TLS one under it: requests complete on the former.
        if (connection instanceof ConnectionMetaData) {
            restart(connection);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Scheduler.Task task = deadlines.remove(connection);
        if (task != null) {
            task.cancel();
        }
    }

    /** Wraps the listener's handlers: each completed request gives its connection a new deadline. */
    Handler handler() {
        return new Handler.Wrapper() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Connection connection = request.getConnectionMetaData().getConnection();
                Request.addCompletionListener(request, failure -> restart(connection));
                return super.handle(request, response, callback);
            }
        };
    }

    private void restart(Connection connection) {
        Scheduler.Task next = scheduler.schedule(
                () -> connection
                        .getEndPoint()
                        .close(new TimeoutException("no complete request within " + timeout.toSeconds() + " s")),
                timeout.toMillis(),
                TimeUnit.MILLISECONDS);
        Scheduler.Task previous = deadlines.put(connection, next);
        if (previous != null) {
            previous.cancel();
        }
        // Scheduled first, checked after: a close in between cannot leave a timer behind.
        if (!connection.getEndPoint().isOpen()) {
            onClosed(connection);
        }
    }
}
