package org.mxpolicy.server;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.server.RequestLog;

/**
 * The access log, written by one thread of its own. Request threads only put the line in a
 * bounded queue: writing and flushing a shared stream from every request thread serialised the
 * whole server on that stream's lock. When the queue is full (the disk or the journal cannot keep
 * up), lines are dropped and counted rather than slowing down the service; the count is logged.
 *
 * <p>The writer is never woken by a request: it takes what has queued up, writes it with one
 * write, and pauses for {@link #PAUSE_NANOS} when it has emptied the queue. A writer waiting on
 * the queue instead was woken by nearly every line (a thread switch per request); pausing, it
 * writes a thousand lines at a time and a line reaches the log within a few tens of milliseconds.
 */
public final class AccessLog implements RequestLog.Writer, AutoCloseable {

    static final int QUEUE_LINES = 65_536;
    private static final int BATCH = 1024;
    /** How long the writer waits after emptying the queue: 20 ms, far inside the queue's capacity. */
    static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_LINES);
    private final AtomicLong dropped = new AtomicLong();
    private final PrintWriter out;
    private final Thread writer;
    private volatile boolean open = true;

    public AccessLog(PrintWriter out) {
        this.out = out;
        this.writer = new Thread(this::drain, "access-log");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void write(String line) {
        // The writer does not wait on the queue, so an offer signals nobody.
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    /** Lines dropped so far because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    private void drain() {
        List<String> batch = new ArrayList<>(BATCH);
        // One write for the whole batch: the stream may flush (a system call) on every println.
        StringBuilder text = new StringBuilder(BATCH * 160);
        String newline = System.lineSeparator();
        long reported = 0;
        while (true) {
            // Read before draining: lines queued before close() are all written.
            boolean closing = !open;
            queue.drainTo(batch, BATCH);
            for (String line : batch) {
                text.append(line).append(newline);
            }
            int taken = batch.size();
            batch.clear();
            if (taken > 0) {
                out.write(text.toString());
                text.setLength(0);
            }
            long lost = dropped.get();
            if (lost > reported) {
                out.println(
                        "mxpolicy: access log: " + (lost - reported) + " line(s) dropped, the log could not keep up");
                reported = lost;
            }
            if (taken == BATCH) {
                continue;
            }
            out.flush();
            if (closing || Thread.currentThread().isInterrupted()) {
                return;
            }
            LockSupport.parkNanos(this, PAUSE_NANOS);
        }
    }

    /** Writes what is queued, then stops the writer thread. */
    @Override
    public void close() {
        open = false;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
