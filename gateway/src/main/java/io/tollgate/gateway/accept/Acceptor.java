package io.tollgate.gateway.accept;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.tollgate.gateway.sockets.Libc;
import io.tollgate.gateway.sockets.PolledSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop's share of the listening socket. Every loop of the group registers the same socket with
 * EPOLLEXCLUSIVE, so the kernel wakes one waiting loop per new connection (an idle one when there is one), and the
 * loop that accepts a connection keeps it to the end: no hand-off between threads, no channel per connection.
 */
final class Acceptor implements EpollIoHandle {
    private static final Logger LOG = LoggerFactory.getLogger(Acceptor.class);
    private static final int EPOLLEXCLUSIVE = 1 << 28;
    // Level-triggered: connections left after a turn's share are reported again by the next epoll_wait.
    private static final EpollIoOps READABLE = EpollIoOps.valueOf(EpollIoOps.EPOLLIN.value() | EPOLLEXCLUSIVE);
    private static final int MAX_PER_TURN = 64;
    private static final long PAUSE_AFTER_EXHAUSTION_MILLIS = 100;

    private final FileDescriptor listening;
    private final IoEventLoop loop;
    private final AcceptedConnections next;
    private final AcceptFailureLog failures;
    private IoRegistration registration;
    private boolean stopped;

    Acceptor(FileDescriptor listening, IoEventLoop loop, AcceptedConnections next, AcceptFailureLog failures) {
        this.listening = listening;
        this.loop = loop;
        this.next = next;
        this.failures = failures;
    }

    /** Registers with the loop's epoll; on the loop. */
    void register() {
        var registering = loop.register(this);
        if (!registering.isSuccess()) {
            throw new IllegalStateException("registering the listening socket with an event loop failed: "
                    + registering.cause(), registering.cause());
        }
        registration = registering.getNow();
        registration.submit(READABLE);
    }

    /** Stops accepting on this loop for good (a pause for exhausted descriptors does not resume); on the loop. */
    void stop() {
        stopped = true;
        deregister();
    }

    private void deregister() {
        if (registration != null) {
            registration.cancel();
            registration = null;
        }
    }

    IoEventLoop loop() {
        return loop;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        for (int i = 0; i < MAX_PER_TURN; i++) {
            int fd = Libc.accept(listening.intValue());
            if (fd == -Libc.ECONNABORTED) {
                continue; // reset by the runner while in the backlog
            }
            if (fd < 0) {
                failed(-fd);
                return;
            }
            InetSocketAddress runner = Libc.lastAddress();
            InetSocketAddress destination = Libc.localAddress(fd);
            if (destination == null) {
                Libc.close(fd); // the connection died between accept and here
                continue;
            }
            accepted(new PolledSocket(fd, null), runner, destination);
        }
    }

    /**
     * Registers first and only then hands the connection on: a socket that could not be registered is reset before any
     * stage has taken buffers or timers for it. Nothing is dispatched to the socket before this returns (same thread).
     */
    private void accepted(PolledSocket socket, InetSocketAddress runner, InetSocketAddress destination) {
        if (!socket.register(loop)) {
            socket.close(true);
            return;
        }
        socket.owner(next.accepted(new RunnerConnection(socket, loop, runner, destination)));
    }

    private void failed(int errno) {
        switch (errno) {
            case Libc.EAGAIN -> { }
            case Libc.EMFILE, Libc.ENFILE, Libc.ENOBUFS, Libc.ENOMEM -> {
                // The listening socket stays readable, so without a pause the loop would spin on the same failure.
                failures.failed(errno);
                deregister();
                loop.schedule(this::resume, PAUSE_AFTER_EXHAUSTION_MILLIS, TimeUnit.MILLISECONDS);
            }
            default -> failures.failed(errno);
        }
    }

    private void resume() {
        if (!stopped && registration == null) {
            try {
                register();
            } catch (IllegalStateException e) {
                LOG.error("the listener could not resume accepting on an event loop: {}", e.getMessage());
            }
        }
    }

    @Override
    public FileDescriptor fd() {
        return listening;
    }

    @Override
    public void close() {
        // The listener closes the shared socket once every loop has let go of it.
    }
}
