package org.mxpolicy.server;

import java.util.List;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The HTTPS listener's handler: the policy file first, answered on the thread that read the
 * request, then everything else (Javalin's servlet context, which Jetty's servlet layer may block
 * in) on a thread of the pool.
 *
 * <p>Jetty asks the server's handler whether it may block: a handler that never does lets the
 * selector thread that decrypted a request also answer it, as nginx's workers do, instead of
 * handing every request to a pool thread (a wake-up and a context switch each; on two cores
 * the largest cost of a keep-alive request after TLS itself, bench/README.md). A sequence holding
 * Javalin's servlet context would say it may block, for every request; this one says it never
 * does and keeps that promise by passing the requests it does not answer itself to the pool.
 */
final class PolicyFirstSequence extends Handler.Sequence {

    private final PolicyFileHandler policyFile;

    PolicyFirstSequence(PolicyFileHandler policyFile) {
        super(policyFile);
        this.policyFile = policyFile;
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (policyFile.handle(request, response, callback)) {
            return true;
        }
        Executor pool = getServer().getThreadPool();
        pool.execute(() -> handleRest(request, response, callback));
        return true;
    }

    /** The handlers after the policy file, in order, on a pool thread; 404 when none takes the request. */
    private void handleRest(Request request, Response response, Callback callback) {
        try {
            List<Handler> handlers = getHandlers();
            for (Handler handler : handlers) {
                if (handler != policyFile && handler.handle(request, response, callback)) {
                    return;
                }
            }
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
        } catch (Throwable failure) {
            Response.writeError(request, response, callback, failure);
        }
    }
}
