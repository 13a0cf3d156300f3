package io.tollgate.gateway.relay.splice;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import io.tollgate.gateway.accept.RunnerConnection;
import io.tollgate.gateway.sockets.Libc;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays an allowed connection on the event loop that accepted it: the gateway opens its own socket to the original
 * destination, forwards the inspected first bytes, and from then on relays both directions: small messages are copied
 * through the loop's buffer, bulk transfers are moved by the kernel with splice(2) through a pipe. Both sockets are
 * registered with that event loop's epoll, so one thread carries a connection from accept to close. A FIN on one side
 * becomes a FIN on the other after every byte before it; a reset or error resets both.
 *
 * <p>Why not Netty channels for this part: Netty 4.2.18's {@code spliceTo} shuts the input on EPOLLRDHUP while bytes
 * that did not fit the pipe are still in the socket (the tail of a download is lost: 1-9 MB of 50 MB in 9 of 10 runs
 * here), and its half-closure removes a socket from epoll once only EPOLLOUT would be left, so a later write that has
 * to wait fails with ENOENT. Both were seen in this project's relay tests. Both sockets are bare descriptors rather
 * than channels because a channel's pipeline, promises and registration cost more per connection than the whole
 * relay.
 */
public final class SpliceRelay {
    private static final Logger LOG = LoggerFactory.getLogger(SpliceRelay.class);

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
     * Takes over an allowed runner connection, on its event loop; {@code firstBytes} (a direct buffer) is released by
     * the relay.
     *
     * @param afterFirstBytes run once on the event loop, when the first bytes are in the upstream socket or, if the
     *     connection ends before that, when it ends: the caller's bookkeeping (its event, its metrics) then overlaps
     *     the server's answer instead of delaying the upstream handshake, whose SYN-ACK arrives within microseconds
     */
    public void relay(RunnerConnection client, InetSocketAddress destination, ByteBuf firstBytes,
            Runnable afterFirstBytes) {
        int upstreamFd = Libc.tcpSocket(destination.getAddress());
        if (upstreamFd < 0) {
            firstBytes.release();
            LOG.warn("allowed connection from runner {} to {} reset: the gateway cannot open a socket: {}",
                    client.runner(), destination, Libc.strerror(-upstreamFd));
            client.reset();
            afterFirstBytes.run();
            return;
        }
        open.incrementAndGet();
        new RelayedConnection(this, loops.get(), client.runner(), destination, client.socket(), upstreamFd,
                firstBytes, afterFirstBytes).start(client.loop(), connectTimeoutNanos);
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
