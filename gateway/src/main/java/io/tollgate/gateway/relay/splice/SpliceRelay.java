package io.tollgate.gateway.relay.splice;

import io.netty.channel.epoll.EpollSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Zero-copy relay: once a connection's first bytes have been forwarded, its two sockets leave Netty and the kernel
 * moves every further byte with splice(2) through a pipe, driven by a few relay threads. A FIN on one side becomes a
 * FIN on the other after every byte before it; a reset or error resets both.
 *
 * <p>Why not Netty for this part: Netty 4.2.18's {@code spliceTo} shuts the input on EPOLLRDHUP while bytes that did
 * not fit the pipe are still in the socket (the tail of a download is lost: 1-9 MB of 50 MB in 9 of 10 runs here), and
 * its half-closure removes a socket from epoll once only EPOLLOUT would be left, so a later write that has to wait
 * fails with ENOENT and the relay must reset. Both were seen in this project's relay tests.
 */
public final class SpliceRelay implements AutoCloseable {
    private final List<SpliceLoop> loops = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    /** @param relayed told the byte counts of each connection when it finishes */
    public SpliceRelay(int threads, RelayedBytes relayed) throws SpliceException {
        try {
            for (int i = 0; i < threads; i++) {
                loops.add(new SpliceLoop("tollgate-splice-" + i, relayed));
            }
        } catch (SpliceException e) {
            close();
            throw e;
        }
    }

    /**
     * Takes over both connections. Must run on their (shared) Netty event loop after every byte written through
     * Netty has been flushed; Netty's channels are closed, the relay keeps its own duplicates of the sockets.
     *
     * @throws SpliceException when the sockets could not be duplicated; the channels are untouched and the caller
     *     resets them
     */
    public void adopt(EpollSocketChannel client, EpollSocketChannel upstream) throws SpliceException {
        int clientFd = Libc.dup(client.fd().intValue());
        if (clientFd < 0) {
            throw new SpliceException("dup of the runner socket failed: " + Libc.strerror(-clientFd));
        }
        int upstreamFd = Libc.dup(upstream.fd().intValue());
        if (upstreamFd < 0) {
            Libc.close(clientFd);
            throw new SpliceException("dup of the upstream socket failed: " + Libc.strerror(-upstreamFd));
        }
        client.close();
        upstream.close();
        long id = ids.incrementAndGet();
        loops.get((int) (id % loops.size())).add(new SplicedConnection(id, clientFd, upstreamFd));
    }

    /** Connections currently relayed. */
    public int size() {
        return loops.stream().mapToInt(SpliceLoop::size).sum();
    }

    @Override
    public void close() {
        loops.forEach(SpliceLoop::close);
    }
}
