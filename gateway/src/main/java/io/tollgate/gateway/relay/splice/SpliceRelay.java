package io.tollgate.gateway.relay.splice;

import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.FastThreadLocal;
import io.tollgate.gateway.relay.Reset;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays an allowed connection on the event loop that accepted it: the gateway opens its own socket to the original
 * destination, forwards the inspected first bytes, and from then on relays both directions: small messages are copied
 * through the loop's buffer, bulk transfers are moved by the kernel with splice(2) through a pipe. Both sockets are registered with that event loop's epoll, so one thread carries a connection from
 * accept to close. A FIN on one side becomes a FIN on the other after every byte before it; a reset or error resets
 * both.
 *
 * <p>Why not Netty channels for this part: Netty 4.2.18's {@code spliceTo} shuts the input on EPOLLRDHUP while bytes
 * that did not fit the pipe are still in the socket (the tail of a download is lost: 1-9 MB of 50 MB in 9 of 10 runs
 * here), and its half-closure removes a socket from epoll once only EPOLLOUT would be left, so a later write that has
 * to wait fails with ENOENT. Both were seen in this project's relay tests. The upstream socket is a bare descriptor
 * rather than a channel because a channel's pipeline, promises and second registration cost more per
 * connection than the whole relay.
 */
public final class SpliceRelay {
    private static final Logger LOG = LoggerFactory.getLogger(SpliceRelay.class);
    private static final int KEEPALIVE_IDLE_SECONDS = 300;

    private final long connectTimeoutNanos;
    private final RelayedBytes relayed;
    private final AtomicInteger open = new AtomicInteger();
    private final FastThreadLocal<RelayLoop> loops = new FastThreadLocal<>() {
        @Override
        protected RelayLoop initialValue() {
            return new RelayLoop();
        }

        @Override
        protected void onRemoval(RelayLoop loop) {
            loop.close();
        }
    };

    /** @param relayed told the byte counts of each connection when it finishes */
    public SpliceRelay(Duration connectTimeout, RelayedBytes relayed) {
        this.connectTimeoutNanos = connectTimeout.toNanos();
        this.relayed = relayed;
    }

    /**
     * Takes over an allowed runner connection whose reading is paused. Must run on the channel's event loop; the
     * channel is closed (the relay keeps a duplicate of its socket), and {@code firstBytes} (a direct buffer) is
     * released by the relay.
     */
    public void relay(EpollSocketChannel client, InetSocketAddress destination, ByteBuf firstBytes) {
        InetSocketAddress runner = client.remoteAddress();
        int upstreamFd = Libc.tcpSocket(destination.getAddress());
        if (upstreamFd < 0) {
            refuse(client, firstBytes, runner, destination, "the gateway cannot open a socket: "
                    + Libc.strerror(-upstreamFd));
            return;
        }
        int clientFd = Libc.dup(client.fd().intValue());
        if (clientFd < 0) {
            Libc.close(upstreamFd);
            refuse(client, firstBytes, runner, destination, "the gateway cannot take its socket over: "
                    + Libc.strerror(-clientFd));
            return;
        }
        IoEventLoop loop = (IoEventLoop) client.eventLoop();
        client.close();
        // Failing to set these is harmless for the connection itself, so it is not refused for it.
        Libc.setIntOption(upstreamFd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1);
        Libc.setIntOption(upstreamFd, Libc.SOL_SOCKET, Libc.SO_KEEPALIVE, 1);
        Libc.setIntOption(upstreamFd, Libc.IPPROTO_TCP, Libc.TCP_KEEPIDLE, KEEPALIVE_IDLE_SECONDS);
        open.incrementAndGet();
        new RelayedConnection(this, loops.get(), runner, destination, new FileDescriptor(clientFd),
                new FileDescriptor(upstreamFd), firstBytes).start(loop, connectTimeoutNanos);
    }

    private static void refuse(EpollSocketChannel client, ByteBuf firstBytes, InetSocketAddress runner,
            InetSocketAddress destination, String why) {
        firstBytes.release();
        LOG.warn("allowed connection from runner {} to {} reset: {}", runner, destination, why);
        Reset.reset(client);
    }

    void finished(long up, long down) {
        open.decrementAndGet();
        relayed.finished(up, down);
    }

    /** Connections currently relayed (connecting included). */
    public int size() {
        return open.get();
    }
}
