package org.mxpolicy.server;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.RequestLog;

/**
 * The access log, written by one thread of its own. Request threads only put the line in a
 * bounded queue: writing and flushing a shared stream from every request thread serialised the
 * whole server on that stream's lock. When the queue is full (the disk or the journal cannot keep
 * up), lines are dropped and counted rather than slowing down the service; the count is logged.
 */
public final class AccessLog implements RequestLog.Writer, AutoCloseable {

    static final int QUEUE_LINES = 65_536;
    private static final int BATCH = 1024;

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
        while (open || !queue.isEmpty()) {
            try {
                String first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                for (String line : batch) {
                    text.append(line).append(newline);
                }
                batch.clear();
                out.write(text.toString());
                text.setLength(0);
                long lost = dropped.get();
                if (lost > reported) {
                    out.println("mxpolicy: access log: " + (lost - reported) + " line(s) dropped, the log could not keep up");
                    reported = lost;
                }
                out.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        out.flush();
    }

    /** Writes what is queued, then stops the writer thread. */
    @Override
    public void close() {
        open = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
