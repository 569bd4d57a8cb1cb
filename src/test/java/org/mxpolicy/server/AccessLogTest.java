package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessLogTest {

    @Test
    void linesFromManyThreadsAreAllWrittenWholeByTheTimeItCloses() throws Exception {
        StringWriter text = new StringWriter();
        List<Thread> threads = new ArrayList<>();
        try (AccessLog log = new AccessLog(new PrintWriter(text))) {
            for (int t = 0; t < 4; t++) {
                int thread = t;
                Thread worker = new Thread(() -> {
                    for (int i = 0; i < 1000; i++) {
                        log.write("thread " + thread + " request " + i);
                    }
                });
                worker.start();
                threads.add(worker);
            }
            for (Thread t : threads) {
                t.join();
            }
        }

        List<String> lines = text.toString().lines().toList();
        assertThat(lines).hasSize(4000).allMatch(l -> l.matches("thread [0-3] request [0-9]+"));
        for (int t = 0; t < 4; t++) {
            String prefix = "thread " + t + " ";
            List<String> own = lines.stream().filter(l -> l.startsWith(prefix)).toList();
            assertThat(own)
                    .as("each thread's lines stay in order")
                    .isEqualTo(java.util.stream.IntStream.range(0, 1000)
                            .mapToObj(i -> prefix + "request " + i)
                            .toList());
        }
    }

    @Test
    void aLineReachesTheLogSoonWithoutWaitingForMoreLines() throws Exception {
        StringWriter text = new StringWriter();
        // Buffered: the line shows only once the writer has flushed it.
        try (AccessLog log = new AccessLog(new PrintWriter(new java.io.BufferedWriter(text)))) {
            Thread.sleep(50); // the writer has found the queue empty and pauses
            log.write("one request");
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (!text.toString().contains("one request") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(text.toString())
                    .as("written and flushed while the log stays open")
                    .isEqualTo("one request" + System.lineSeparator());
        }
    }

    @Test
    void linesBeyondTheQueueAreDroppedAndCounted() throws Exception {
        StringWriter text = new StringWriter();
        // A writer that blocks until released: the queue fills up behind it.
        java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        PrintWriter stalled = new PrintWriter(text) {
            @Override
            public void write(String s) {
                try {
                    writing.countDown();
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.write(s);
            }
        };
        long dropped;
        try (AccessLog log = new AccessLog(stalled)) {
            log.write("first");
            writing.await(); // taken by the writer, which now blocks writing it
            for (int i = 0; i < AccessLog.QUEUE_LINES + 10; i++) {
                log.write("line " + i);
            }
            dropped = log.dropped();
            release.countDown();
        }
        assertThat(dropped).isEqualTo(10L);
        assertThat(text.toString())
                .contains("line(s) dropped, the log could not keep up")
                .contains("line " + (AccessLog.QUEUE_LINES - 1))
                .doesNotContain("line " + AccessLog.QUEUE_LINES);
    }
}
