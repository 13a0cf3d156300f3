package io.tollgate.gateway.events;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends events as JSON lines to the events file from one writer thread, so event loops never wait on disk.
 * If the disk falls so far behind that the queue fills, the event is counted as dropped and an operator
 * warning is logged, rather than stalling every connection of the node.
 */
public final class EventFile implements EventSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventFile.class);
    private static final int QUEUE_CAPACITY = 65_536;

    private final Path path;
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final BufferedWriter writer;
    private final Thread thread;
    private volatile boolean closing;

    private EventFile(Path path, BufferedWriter writer) {
        this.path = path;
        this.writer = writer;
        this.thread = Thread.ofPlatform().name("tollgate-events").daemon().start(this::drain);
    }

    public static EventFile open(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        BufferedWriter writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        return new EventFile(path, writer);
    }

    @Override
    public void record(Event event) {
        if (!queue.offer(event)) {
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                LOG.warn("events file {} cannot keep up: {} events dropped so far; check the disk", path, n);
            }
        }
    }

    public long dropped() {
        return dropped.get();
    }

    private void drain() {
        List<Event> batch = new ArrayList<>(256);
        while (!closing || !queue.isEmpty()) {
            try {
                Event first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 4095);
                for (Event e : batch) {
                    writer.write(EventJson.toLine(e));
                    writer.write('\n');
                }
                writer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException | LinkageError e) {
                // The writer must outlive a bad moment (disk full, descriptors exhausted), or every later event is lost.
                LOG.error("cannot write the events file {}: {}; {} events lost", path, e, batch.size());
            } finally {
                batch.clear();
            }
        }
    }

    @Override
    public void close() throws IOException {
        closing = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
    }
}
