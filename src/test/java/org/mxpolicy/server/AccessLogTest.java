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
            assertThat(own).as("each thread's lines stay in order").isEqualTo(
                    java.util.stream.IntStream.range(0, 1000).mapToObj(i -> prefix + "request " + i).toList());
        }
    }
}
