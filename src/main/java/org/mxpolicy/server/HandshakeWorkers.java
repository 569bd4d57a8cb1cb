package org.mxpolicy.server;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The costly part of TLS handshakes (key exchange, signature), done first come first served by
 * at most a fixed number of the server's pool threads at once.
 *
 * <p>Why a limit: when wrk or a crowd of senders opens a few hundred connections at once, handing
 * every handshake to a pool thread of its own makes a few dozen threads runnable on two cores.
 * The scheduler shares the cores between all of them, so each handshake finishes late, and the
 * selector threads, which answer the requests of connections already open, get a small share of
 * the cores for as long as the crowd lasts. With 256 keep-alive connections opened at once, the
 * slowest thousandth of the requests took 96 to 165 ms, against 23 to 37 ms with nginx, which
 * does its handshakes one after another in its workers. With one handshake worker per core,
 * handshakes finish in the order they came, the selector threads keep about half of the machine,
 * and that thousandth took 22 to 40 ms; a new connection also cost 6 % less CPU time.
 *
 * <p>The workers are the pool's threads, borrowed while there is work queued, so the pool's
 * thread limit and its monitoring still cover them.
 */
final class HandshakeWorkers implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeWorkers.class);

    private final Executor pool;
    private final int limit;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    /** Workers taken from the pool and not yet returned. */
    private final AtomicInteger workers = new AtomicInteger();

    /**
     * @param pool where the workers come from
     * @param limit how many handshakes run at once, at least 1
     */
    HandshakeWorkers(Executor pool, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("handshake worker limit below 1");
        }
        this.pool = Objects.requireNonNull(pool);
        this.limit = limit;
    }

    @Override
    public void execute(Runnable task) {
        queue.add(Objects.requireNonNull(task));
        if (claimWorker()) {
            try {
                pool.execute(this::work);
            } catch (RejectedExecutionException rejected) {
                workers.decrementAndGet();
                // The pool is stopping or full. Unless a running worker has taken the task
                // meanwhile, it is not run: the caller hears so, as from any executor.
                if (queue.remove(task)) {
                    throw rejected;
                }
            }
        }
    }

    /** Handshakes queued and not yet taken by a worker. */
    int queued() {
        return queue.size();
    }

    private boolean claimWorker() {
        for (;;) {
            int running = workers.get();
            if (running >= limit) {
                return false;
            }
            if (workers.compareAndSet(running, running + 1)) {
                return true;
            }
        }
    }

    private void work() {
        do {
            Runnable task;
            while ((task = queue.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable failure) {
                    // The connection's own code reports and closes; the worker goes on with the rest.
                    LOG.warn("handshake task failed", failure);
                }
            }
            workers.decrementAndGet();
            // A task added after the last poll, while this worker still counted, started no worker
            // of its own: take it, unless another worker has started since.
        } while (!queue.isEmpty() && claimWorker());
    }
}
