package io.tollgate.gateway.events;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends events as JSON lines to the events file from one writer thread, so event loops never wait on disk.
 * If the disk falls so far behind that the queue fills, the event is counted as dropped and an operator
 * warning is logged, rather than stalling every connection of the node.
 *
 * <p>Before a line would take the file past {@code maxSize} bytes, the file is rotated: {@code events.jsonl.N-1} →
 * {@code .N} … {@code events.jsonl} → {@code events.jsonl.1}, keeping {@code keep} rotated files, and the line goes
 * to a fresh {@code events.jsonl}. Rotation happens on the writer thread between two lines, so no event is lost or
 * split across files; if renaming fails the writer keeps appending to the current file and says so.
 */
public final class EventFile implements LineSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventFile.class);
    private static final int QUEUE_CAPACITY = 65_536;

    private final Path path;
    private final long maxSize;
    private final int keep;
    private final EventQueue queue = new EventQueue(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong rotations = new AtomicLong();
    private final Thread thread;
    private OutputStream out;
    private long size;
    private volatile boolean closing;

    private EventFile(Path path, long maxSize, int keep, OutputStream out, long size) {
        this.path = path;
        this.maxSize = maxSize;
        this.keep = keep;
        this.out = out;
        this.size = size;
        this.thread = Thread.ofPlatform().name("tollgate-events").daemon().start(this::drain);
    }

    /** Opens (appends to) {@code path}, rotating it past {@code maxSize} bytes and keeping {@code keep} old files. */
    public static EventFile open(Path path, long maxSize, int keep) throws IOException {
        if (maxSize < 1 || keep < 1) {
            throw new IllegalArgumentException("maxSize and keep must be positive");
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        OutputStream out = append(path);
        return new EventFile(path, maxSize, keep, out, Files.size(path));
    }

    @Override
    public void record(EventLine event) {
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

    /** How many times the file has been rotated since the node started. */
    public long rotations() {
        return rotations.get();
    }

    private void drain() {
        List<EventLine> batch = new ArrayList<>(256);
        while (!closing || !queue.isEmpty()) {
            int written = 0;
            try {
                queue.take(batch, 4096);
                if (batch.isEmpty()) {
                    continue;
                }
                for (EventLine e : batch) {
                    byte[] line = (e.json() + "\n").getBytes(StandardCharsets.UTF_8);
                    if (size > 0 && size + line.length > maxSize) {
                        rotate();
                    }
                    out.write(line);
                    size += line.length;
                    written++;
                }
                out.flush();
            } catch (IOException | RuntimeException | LinkageError e) {
                // The writer must outlive a bad moment (disk full, descriptors exhausted), or every later event is lost.
                LOG.error("cannot write the events file {}: {}; {} events lost", path, e, batch.size() - written);
            } finally {
                batch.clear();
            }
        }
    }

    private void rotate() throws IOException {
        out.close();
        boolean failed = false;
        try {
            Files.deleteIfExists(rotated(keep));
            for (int i = keep - 1; i >= 1; i--) {
                if (Files.exists(rotated(i))) {
                    Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(path, rotated(1), StandardCopyOption.REPLACE_EXISTING);
            rotations.incrementAndGet();
        } catch (IOException e) {
            failed = true;
            LOG.error("cannot rotate the events file {} ({}); it keeps growing past gateway.events.max-size ({} bytes)"
                    + " (tried again after as many bytes again); check the directory's permissions and space", path, e,
                    maxSize);
        } finally {
            out = append(path);
            // After a failure, count from zero so the next attempt comes max-size bytes later, not at every line.
            size = failed ? 0 : Files.size(path);
        }
    }

    private Path rotated(int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    private static OutputStream append(Path path) throws IOException {
        return new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024);
    }

    @Override
    public void close() throws IOException {
        closing = true;
        queue.stopWaiting();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.close();
    }
}
