package io.tollgate.gateway.relay.splice;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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
    private final Map<Long, SplicedConnection> connections = new ConcurrentHashMap<>();
    private final PipePool pipes = new PipePool(64);
    private final RelayedBytes relayed;
    private final Thread thread;
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

    /** Called from any thread: the connection is registered and pumped by this loop's thread. */
    void add(SplicedConnection connection) {
        incoming.add(connection);
        Libc.signal(wakeFd);
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
            connections.values().forEach(c -> c.release(pipes, true));
            connections.clear();
            pipes.closeAll();
            Libc.close(wakeFd);
            Libc.close(epfd);
        }
    }

    private void registerIncoming() {
        SplicedConnection connection;
        while ((connection = incoming.poll()) != null) {
            connections.put(connection.id, connection);
            for (int fd : new int[] {connection.clientFd, connection.upstreamFd}) {
                int r = Libc.epollCtl(epfd, Libc.EPOLL_CTL_ADD, fd, EVENTS, connection.id);
                if (r < 0) {
                    LOG.warn("relayed connection {} reset: epoll_ctl ADD of fd {} failed: {}", connection.id, fd,
                            Libc.strerror(-r));
                    finish(connection, true);
                    break;
                }
            }
        }
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
        connections.remove(connection.id);
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
