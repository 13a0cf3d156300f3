package io.tollgate.gateway.relay.splice;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay thread with its own edge-triggered epoll instance. Netty's event loops hand connections over through a
 * queue and an eventfd; from then on only this thread touches them, so a connection can never be closed (and its fd
 * numbers reused) while another thread is still registering it.
 */
final class SpliceLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpliceLoop.class);
    private static final int MAX_EVENTS = 256;
    private static final int WAIT_MILLIS = 500;
    private static final long WAKE_UP = -1;
    private static final int EVENTS = Libc.EPOLLIN | Libc.EPOLLOUT | Libc.EPOLLRDHUP | Libc.EPOLLET;

    private final int epfd;
    private final int wakeFd;
    private final Queue<SplicedConnection> incoming = new ConcurrentLinkedQueue<>();
    private final ConnectionSlots connections = new ConnectionSlots();
    private final PipePool pipes = new PipePool(64);
    private final RelayedBytes relayed;
    private final Thread thread;
    /** Set by the first {@link #add} after the loop last looked at {@link #incoming}: later adds need not signal. */
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();
    private volatile boolean running = true;

    SpliceLoop(String name, RelayedBytes relayed) throws SpliceException {
        this.relayed = relayed;
        epfd = Libc.epollCreate();
        if (epfd < 0) {
            throw new SpliceException("epoll_create1 failed: " + Libc.strerror(-epfd));
        }
        wakeFd = Libc.eventfd();
        if (wakeFd < 0) {
            Libc.close(epfd);
            throw new SpliceException("eventfd failed: " + Libc.strerror(-wakeFd));
        }
        int r = Libc.epollCtl(epfd, Libc.EPOLL_CTL_ADD, wakeFd, Libc.EPOLLIN, WAKE_UP);
        if (r < 0) {
            Libc.close(wakeFd);
            Libc.close(epfd);
            throw new SpliceException("epoll_ctl of the wake-up eventfd failed: " + Libc.strerror(-r));
        }
        thread = Thread.ofPlatform().name(name).daemon().start(this::run);
    }

    /**
     * Called from any thread: the connection is registered and pumped by this loop's thread. Under load several
     * connections arrive while the loop is busy; only the first of them pays for the eventfd write and the wake-up.
     */
    void add(SplicedConnection connection) {
        incoming.add(connection);
        if (wakeUpPending.compareAndSet(false, true)) {
            Libc.signal(wakeFd);
        }
    }

    int size() {
        return connections.size() + incoming.size();
    }

    private void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment events = arena.allocate(Libc.EPOLL_EVENT, MAX_EVENTS);
            while (running) {
                int n = Libc.epollWait(epfd, events, MAX_EVENTS, WAIT_MILLIS);
                if (n < 0) {
                    if (n != -Libc.EINTR) {
                        LOG.error("splice relay {} stopped: epoll_wait failed: {}", thread.getName(), Libc.strerror(-n));
                        return;
                    }
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    long id = (long) Libc.EVENT_DATA.get(events, i * Libc.EPOLL_EVENT.byteSize());
                    if (id == WAKE_UP) {
                        Libc.drain(wakeFd);
                        // Cleared before the queue is read: an add() after this point either is seen below or signals.
                        wakeUpPending.set(false);
                        registerIncoming();
                        continue;
                    }
                    SplicedConnection connection = connections.get(id);
                    if (connection != null) {
                        pump(connection);
                    }
                }
            }
        } finally {
            registerIncoming();
            connections.drain(c -> c.release(pipes, true));
            pipes.closeAll();
            Libc.close(wakeFd);
            Libc.close(epfd);
        }
    }

    private void registerIncoming() {
        SplicedConnection connection;
        while ((connection = incoming.poll()) != null) {
            connection.slot = connections.put(connection);
            if (!register(connection, connection.clientFd)) {
                continue;
            }
            register(connection, connection.upstreamFd);
        }
    }

    private boolean register(SplicedConnection connection, int fd) {
        int r = Libc.epollCtl(epfd, Libc.EPOLL_CTL_ADD, fd, EVENTS, connection.slot);
        if (r < 0) {
            LOG.warn("relayed connection {} reset: epoll_ctl ADD of fd {} failed: {}", connection.id, fd,
                    Libc.strerror(-r));
            finish(connection, true);
            return false;
        }
        return true;
    }

    private void pump(SplicedConnection connection) {
        try {
            if (connection.pump(pipes)) {
                finish(connection, false);
            }
        } catch (SpliceException e) {
            LOG.debug("relayed connection {} ended: {}", connection.id, e.getMessage());
            finish(connection, true);
        }
    }

    private void finish(SplicedConnection connection, boolean reset) {
        connections.remove(connection.slot);
        connection.release(pipes, reset);
        relayed.finished(connection.bytesUp(), connection.bytesDown());
    }

    @Override
    public void close() {
        running = false;
        Libc.signal(wakeFd);
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
