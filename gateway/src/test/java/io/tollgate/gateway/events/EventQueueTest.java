package io.tollgate.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The queue between the event loops and a writer thread: the writer sleeps without a timeout while nothing comes, the
 * first event after a quiet spell wakes it, no event is lost between sleeping and waking, and closing wakes it.
 */
class EventQueueTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final EventQueue queue = new EventQueue(1024);
    private final List<EventLine> received = new CopyOnWriteArrayList<>();
    private volatile boolean closing;
    private Thread writer;

    @AfterEach
    void stopWriter() throws InterruptedException {
        if (writer != null) {
            closing = true;
            queue.stopWaiting();
            writer.join(PATIENCE.toMillis());
        }
    }

    @Test
    void anIdleWriterSleepsWithoutATimeoutAndTheNextEventWakesIt() throws Exception {
        startWriter();
        awaitState(Thread.State.WAITING);

        EventLine first = line(1);
        assertThat(queue.offer(first)).isTrue();
        awaitReceived(1);
        awaitState(Thread.State.WAITING);
        EventLine second = line(2);
        queue.offer(second);
        awaitReceived(2);

        assertThat(received).containsExactly(first, second);
    }

    @Test
    void everyEventOfConcurrentProducersArrivesInEachProducersOrder() throws Exception {
        startWriter();
        int producers = 4;
        int perProducer = 2_000;
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perProducer; i++) {
                    while (!queue.offer(line(id * perProducer + i))) {
                        Thread.onSpinWait();
                    }
                    if (ThreadLocalRandom.current().nextInt(200) == 0) {
                        // pauses longer than the writer's, so that it goes to sleep between events now and then
                        LockSupport.parkNanos(EventQueue.PAUSE_NANOS * 2);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join(PATIENCE.toMillis());
        }
        awaitReceived(producers * perProducer);

        for (int p = 0; p < producers; p++) {
            int from = p * perProducer;
            List<Integer> own = received.stream().map(EventQueueTest::number)
                    .filter(n -> n >= from && n < from + perProducer).toList();
            assertThat(own).hasSize(perProducer).isSorted();
        }
    }

    @Test
    void stoppingWakesASleepingWriter() throws Exception {
        startWriter();
        awaitState(Thread.State.WAITING);

        closing = true;
        queue.stopWaiting();
        writer.join(PATIENCE.toMillis());

        assertThat(writer.isAlive()).isFalse();
    }

    private void startWriter() {
        writer = Thread.ofPlatform().name("event-queue-test-writer").start(() -> {
            List<EventLine> batch = new ArrayList<>();
            while (!closing || !queue.isEmpty()) {
                queue.take(batch, 100);
                received.addAll(batch);
                batch.clear();
            }
        });
    }

    private void awaitState(Thread.State state) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (writer.getState() != state) {
            assertThat(System.nanoTime()).as("writer still %s, expected %s", writer.getState(), state)
                    .isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    private void awaitReceived(int count) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (received.size() < count) {
            assertThat(System.nanoTime()).as("received %d of %d", received.size(), count).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(5);
        }
        assertThat(received).hasSize(count);
    }

    private static EventLine line(int n) {
        return new EventLine(new Event("2026-12-07T10:15:30Z", "gw", "tcp", "allow", "allowlisted", null, "10.10.0.2",
                "198.51.100.7:443", "n" + n + ".example", null, null, null, null, null, null, null, null, null, null,
                null, null, null));
    }

    private static int number(EventLine line) {
        String sni = line.event().sni();
        return Integer.parseInt(sni.substring(1, sni.indexOf('.')));
    }
}
