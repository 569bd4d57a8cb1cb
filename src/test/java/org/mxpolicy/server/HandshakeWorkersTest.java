package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandshakeWorkersTest {

    /** More threads than any limit below: the limit, not the pool, decides how many run. */
    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void noMoreThanTheLimitRunAtOnceAndTheRestWaitTheirTurn() throws Exception {
        HandshakeWorkers workers = new HandshakeWorkers(pool, 2);
        CountDownLatch twoStarted = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch allDone = new CountDownLatch(10);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            workers.execute(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                twoStarted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                allDone.countDown();
            });
        }

        assertThat(twoStarted.await(10, TimeUnit.SECONDS)).isTrue();
        // Both workers are held inside a task, so nothing else can have left the queue.
        assertThat(workers.queued()).isEqualTo(8);
        release.countDown();
        assertThat(allDone.await(10, TimeUnit.SECONDS)).as("every task ran").isTrue();
        assertThat(mostAtOnce.get()).isEqualTo(2);
    }

    @Test
    void withOneWorkerTasksRunInTheOrderTheyCame() throws Exception {
        HandshakeWorkers workers = new HandshakeWorkers(pool, 1);
        List<Integer> order = new ArrayList<>();
        CountDownLatch allDone = new CountDownLatch(100);
        for (int i = 0; i < 100; i++) {
            int task = i;
            workers.execute(() -> {
                order.add(task); // one worker: no other thread touches the list meanwhile
                allDone.countDown();
            });
        }

        assertThat(allDone.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(order).isEqualTo(java.util.stream.IntStream.range(0, 100).boxed().toList());
    }

    @Test
    void aFailingTaskDoesNotStopTheOnesBehindIt() throws Exception {
        HandshakeWorkers workers = new HandshakeWorkers(pool, 1);
        CountDownLatch after = new CountDownLatch(1);
        workers.execute(() -> {
            throw new IllegalStateException("handshake failed");
        });
        workers.execute(after::countDown);

        assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTaskAddedWhileTheLastWorkerFindsTheQueueEmptyIsStillRun() throws Exception {
        // Each task is added only when the one before has run, so the worker is at the end of
        // its queue every time: a task added between its last look at the queue and its leaving
        // would be left behind with no worker to run it, and nothing added later to rescue it.
        HandshakeWorkers workers = new HandshakeWorkers(pool, 1);
        for (int i = 0; i < 50_000; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            workers.execute(ran::countDown);
            assertThat(ran.await(10, TimeUnit.SECONDS)).as("task %d run", i).isTrue();
        }
        assertThat(workers.queued()).isZero();
    }

    @Test
    void aTaskThePoolRefusesIsNotRunAndTheCallerHearsSo() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        HandshakeWorkers workers = new HandshakeWorkers(task -> {
            throw new RejectedExecutionException("pool stopped");
        }, 2);

        assertThatThrownBy(() -> workers.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
        assertThat(workers.queued()).isZero();
        // The refused attempts gave their places back: a third would otherwise not even try.
        assertThatThrownBy(() -> workers.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> workers.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
        assertThat(ran).hasValue(0);
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> new HandshakeWorkers(pool, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
