package io.tollgate.gateway.relay.splice;

import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEventLoop;
import io.tollgate.gateway.sockets.Libc;
import io.tollgate.gateway.sockets.PolledSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One allowed connection after its decision: the runner's socket, the gateway's own socket to the original
 * destination (connecting, then carrying the inspected first bytes, then spliced), both registered with the event
 * loop that accepted the runner's connection. Confined to that event loop's thread.
 */
final class RelayedConnection implements PolledSocket.Owner {
    private static final Logger LOG = LoggerFactory.getLogger(RelayedConnection.class);
    private static final int READABLE = PolledSocket.READABLE;
    private static final int WRITABLE = PolledSocket.WRITABLE;
    private static final int END = PolledSocket.END;
    private static final int KEEPALIVE_IDLE_SECONDS = 300;

    private enum State { CONNECTING, RELAYING, CLOSED }

    private final SpliceRelay relay;
    private final RelayLoop loop;
    private final InetSocketAddress runner;
    private final InetSocketAddress destination;
    private final PolledSocket client;
    private final PolledSocket upstream;
    private final Direction toUpstream;
    private final Direction toClient;
    private ByteBuf firstBytes;
    private Runnable afterFirstBytes;
    private ScheduledFuture<?> connectTimeout;
    private State state = State.CONNECTING;

    RelayedConnection(SpliceRelay relay, RelayLoop loop, InetSocketAddress runner, InetSocketAddress destination,
            PolledSocket client, int upstream, ByteBuf firstBytes, Runnable afterFirstBytes) {
        this.relay = relay;
        this.loop = loop;
        this.runner = runner;
        this.destination = destination;
        this.client = client;
        this.upstream = new PolledSocket(upstream, this);
        this.toUpstream = new Direction(client.intValue(), upstream);
        this.toClient = new Direction(upstream, client.intValue());
        this.firstBytes = firstBytes;
        this.afterFirstBytes = afterFirstBytes;
    }

    /**
     * Takes the runner's socket over (already registered with {@code loop}), starts the upstream connect and
     * registers the upstream socket; on the event loop, right after the decision. Nothing else happens before the
     * first bytes are forwarded: on a local network the SYN-ACK is back within microseconds.
     */
    void start(IoEventLoop loop, long connectTimeoutNanos) {
        client.owner(this);
        int r = Libc.connect(upstream.intValue(), destination);
        if (r < 0 && r != -Libc.EINPROGRESS) {
            failUpstream(Libc.strerror(-r));
            return;
        }
        if (!upstream.register(loop)) {
            reset("registering the upstream socket with the event loop failed");
            return;
        }
        if (r == 0) {
            connected(0); // the upstream's readiness comes with the first event of its registration
        } else {
            connectTimeout = loop.schedule(this::connectTimedOut, connectTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Readiness on either socket (edge-triggered: whatever can move now must move now). Only the directions the
     * event concerns are pumped: out of a readable socket, into a writable one that has bytes waiting for it.
     */
    @Override
    public void ready(PolledSocket on, int ops) {
        switch (state) {
            case CONNECTING -> {
                if (on == upstream) {
                    finishConnect(ops);
                }
            }
            case RELAYING -> relay(on, ops);
            case CLOSED -> { }
        }
    }

    private void relay(PolledSocket on, int ops) {
        if (firstBytes != null) {
            pumpAll(on == upstream ? ops : 0);
            return;
        }
        Direction out = on == client ? toUpstream : toClient;
        Direction in = on == client ? toClient : toUpstream;
        try {
            if ((ops & WRITABLE) != 0 && in.waiting()) {
                in.pump(loop, false, out.finished());
            }
            if ((ops & READABLE) != 0) {
                out.pump(loop, (ops & END) == 0, in.finished());
            }
            closeIfDone();
        } catch (SpliceException e) {
            ended(e);
        }
    }

    private void finishConnect(int ops) {
        int error = Libc.socketError(upstream.intValue());
        if (error != 0) {
            failUpstream(Libc.strerror(error));
            return;
        }
        connected(ops);
    }

    private void connected(int upstreamOps) {
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
            connectTimeout = null;
        }
        state = State.RELAYING;
        pumpAll(upstreamOps);
    }

    private void connectTimedOut() {
        if (state == State.CONNECTING) {
            failUpstream("no answer within the connect timeout (gateway.connect-timeout)");
        }
    }

    /**
     * After the connect, and while the first bytes are not all out: the first bytes, then each direction that has
     * something to move. The runner's socket is read only if it had a readable edge since the peek last drained it,
     * and the upstream only on its own readable edge: reading a socket that is known to be empty costs a system call.
     */
    private void pumpAll(int upstreamOps) {
        try {
            boolean upstreamReadable = (upstreamOps & READABLE) != 0;
            if (firstBytes != null && !flushFirstBytes()) {
                if (upstreamReadable) {
                    toClient.pump(loop, false, false); // a server may speak first; the runner's further bytes wait behind
                }
                return;
            }
            if (client.takeUnread()) {
                toUpstream.pump(loop, false, toClient.finished());
            }
            if (upstreamReadable || toClient.waiting()) {
                toClient.pump(loop, false, toUpstream.finished());
            }
            closeIfDone();
        } catch (SpliceException e) {
            ended(e);
        }
    }

    private void closeIfDone() {
        if (toUpstream.finished() && toClient.finished()) {
            close(false);
        }
    }

    private void ended(SpliceException e) {
        LOG.debug("relayed connection from runner {} to {} ended: {}", runner, destination, e.getMessage());
        close(true);
    }

    /** Writes the bytes read before the decision; {@code true} once all of them are in the upstream socket. */
    private boolean flushFirstBytes() throws SpliceException {
        while (firstBytes.isReadable()) {
            long n = Libc.send(upstream.intValue(), firstBytes.memoryAddress() + firstBytes.readerIndex(),
                    firstBytes.readableBytes());
            if (n == -Libc.EAGAIN) {
                return false;
            }
            if (n < 0) {
                throw new SpliceException("forwarding the first bytes failed: " + Libc.strerror((int) -n));
            }
            firstBytes.skipBytes((int) n);
        }
        firstBytes.release();
        firstBytes = null;
        settle();
        return true;
    }

    /**
     * Once the first bytes are out: the upstream socket's options (none matters for a first write: Nagle holds back
     * only a write behind unacknowledged data) and the caller's bookkeeping. Failing to set an option is harmless for
     * the connection itself, so it is not refused for it.
     */
    private void settle() {
        int fd = upstream.intValue();
        Libc.setIntOption(fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1);
        Libc.setIntOption(fd, Libc.SOL_SOCKET, Libc.SO_KEEPALIVE, 1);
        Libc.setIntOption(fd, Libc.IPPROTO_TCP, Libc.TCP_KEEPIDLE, KEEPALIVE_IDLE_SECONDS);
        runAfterFirstBytes();
    }

    private void runAfterFirstBytes() {
        Runnable after = afterFirstBytes;
        if (after != null) {
            afterFirstBytes = null;
            after.run();
        }
    }

    private void failUpstream(String why) {
        LOG.warn("allowed connection from runner {} to {} failed upstream: {}; the runner gets a reset", runner,
                destination, why);
        close(true);
    }

    private void reset(String why) {
        LOG.warn("allowed connection from runner {} to {} reset: {}", runner, destination, why);
        close(true);
    }

    /** The event loop is shutting down. */
    @Override
    public void abort() {
        close(true);
    }

    /** Closes both sockets (with a RST instead of a FIN when {@code reset}) and leaves the event loop. */
    private void close(boolean reset) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (connectTimeout != null) {
            connectTimeout.cancel(false);
        }
        if (firstBytes != null) {
            firstBytes.release();
            firstBytes = null;
        }
        toUpstream.release(loop.pipes());
        toClient.release(loop.pipes());
        client.close(reset);
        upstream.close(reset);
        runAfterFirstBytes();
        relay.finished(toUpstream.moved(), toClient.moved());
    }
}
