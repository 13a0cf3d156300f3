package io.tollgate.gateway.sockets;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bare socket registered once with a Netty event loop's epoll, edge-triggered for reading, writing and the peer's
 * half-close. Its readiness goes to whichever stage owns the connection at the moment (the peek, then the relay), so a
 * runner's socket keeps one registration from accept to close. Confined to the event loop's thread.
 */
public final class PolledSocket implements EpollIoHandle {
    private static final Logger LOG = LoggerFactory.getLogger(PolledSocket.class);
    private static final EpollIoOps EDGES = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLOUT).with(EpollIoOps.EPOLLRDHUP)
            .with(EpollIoOps.EPOLLET);
    private static final int EPOLLHUP = 0x010; // reported by the kernel without being asked; Netty has no constant
    /** Readiness that a read must look at: bytes, the peer's FIN, an error or a hang-up. */
    public static final int READABLE = EpollIoOps.EPOLLIN.value() | EpollIoOps.EPOLLRDHUP.value()
            | EpollIoOps.EPOLLERR.value() | EPOLLHUP;
    /** Readiness that a write (or a pending connect) must look at. */
    public static final int WRITABLE = EpollIoOps.EPOLLOUT.value() | EpollIoOps.EPOLLERR.value() | EPOLLHUP;
    /** Readiness that says the peer's side ended (a short read does not mean the socket is empty then). */
    public static final int END = EpollIoOps.EPOLLRDHUP.value() | EpollIoOps.EPOLLERR.value() | EPOLLHUP;

    /** What a stage does with the socket's readiness. */
    public interface Owner {
        /** @param ops the epoll event bits */
        void ready(PolledSocket socket, int ops);

        /** The event loop shuts down with the connection still open. */
        void abort();
    }

    private final FileDescriptor fd;
    private Owner owner;
    private IoRegistration registration;
    private boolean unread = true;

    public PolledSocket(int fd, Owner owner) {
        this.fd = new FileDescriptor(fd);
        this.owner = owner;
    }

    /** Registers with {@code loop}'s epoll (one EPOLL_CTL_ADD); false when that failed, the reason logged. */
    public boolean register(IoEventLoop loop) {
        var registering = loop.register(this);
        if (!registering.isSuccess()) {
            LOG.warn("registering socket {} with the event loop failed: {}", fd.intValue(), registering.cause());
            return false;
        }
        registration = registering.getNow();
        registration.submit(EDGES);
        return true;
    }

    public int intValue() {
        return fd.intValue();
    }

    /** Hands the socket's readiness to the next stage. */
    public void owner(Owner next) {
        this.owner = next;
    }

    /**
     * Closes the socket, with a RST instead of a FIN when {@code reset}. Closed before its registration is cancelled:
     * the kernel drops a closed socket from epoll by itself, so no EPOLL_CTL_DEL is needed.
     */
    public void close(boolean reset) {
        if (!fd.isOpen()) {
            return;
        }
        if (reset) {
            Libc.lingerZero(fd.intValue());
        }
        try {
            fd.close();
        } catch (IOException e) {
            LOG.debug("closing socket {} failed: {}", fd.intValue(), e.getMessage());
        }
        if (registration != null) {
            registration.cancel();
        }
    }

    /**
     * Whether the socket had a readable edge since a stage last read it empty ({@link #drained()}); clears it. A stage
     * that takes the socket over mid-life reads it only then: with edge-triggered epoll, an edge that arrived while
     * another stage owned the socket is not reported again.
     */
    public boolean takeUnread() {
        boolean was = unread;
        unread = false;
        return was;
    }

    /** The owner read everything the socket had (EAGAIN, or a short read on an event without an end). */
    public void drained() {
        unread = false;
    }

    public boolean isOpen() {
        return fd.isOpen();
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        int ops = ((EpollIoEvent) event).ops().value();
        if ((ops & READABLE) != 0) {
            unread = true;
        }
        owner.ready(this, ops);
    }

    @Override
    public void close() {
        owner.abort();
    }
}
