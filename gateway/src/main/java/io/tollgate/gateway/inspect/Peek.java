package io.tollgate.gateway.inspect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tollgate.gateway.accept.RunnerConnection;
import io.tollgate.gateway.sockets.Libc;
import io.tollgate.gateway.sockets.PolledSocket;
import io.tollgate.sni.FirstBytesInspector;
import io.tollgate.sni.Inspection;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a new connection's first bytes only until the inspector can name the destination (or the bounded wait runs
 * out, or the client half-closes), then hands the facts on and stops reading: whatever the client sends after that
 * waits in the socket for the relay, so no byte is lost between the decision and the relay.
 */
public final class Peek implements PolledSocket.Owner {
    private static final Logger LOG = LoggerFactory.getLogger(Peek.class);
    // A ClientHello with a post-quantum key share is about 1.8 KB; most fit without growing the buffer.
    private static final int INITIAL_BYTES = 2048;

    private final RunnerConnection connection;
    private final FactsConsumer next;
    private final FirstBytesInspector inspector = new FirstBytesInspector();
    private final ScheduledFuture<?> timer;
    private ByteBuf peeked;
    private Inspection last = Inspection.NeedMore.INSTANCE;

    private Peek(RunnerConnection connection, Duration timeout, int maxBytes, FactsConsumer next) {
        this.connection = connection;
        this.next = next;
        // Direct: the relay writes these bytes to the upstream socket from their native address.
        this.peeked = ByteBufAllocator.DEFAULT.directBuffer(Math.min(INITIAL_BYTES, maxBytes), maxBytes);
        this.timer = connection.loop().schedule(this::handOver, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Starts peeking at a just-accepted connection, on its event loop.
     *
     * @param maxBytes the most the peek reads before it hands over without a name
     */
    public static Peek start(RunnerConnection connection, Duration timeout, int maxBytes, FactsConsumer next) {
        return new Peek(connection, timeout, maxBytes, next);
    }

    @Override
    public void ready(PolledSocket socket, int ops) {
        if (peeked != null && (ops & PolledSocket.READABLE) != 0) {
            read(socket, (ops & PolledSocket.END) == 0);
        }
    }

    /**
     * Edge-triggered: reads until the socket is empty, the inspector has decided, or the cap is reached. A read shorter
     * than asked on an event that did not report the peer's end means the socket is empty (later bytes bring a new
     * edge), so it ends the turn without a read that would only say EAGAIN.
     */
    private void read(PolledSocket socket, boolean shortReadDrains) {
        while (true) {
            if (!peeked.isWritable() && peeked.ensureWritable(1, true) == 1) {
                handOver(); // the cap, without a complete header
                return;
            }
            int asked = peeked.writableBytes();
            long n = Libc.recv(socket.intValue(), peeked.memoryAddress() + peeked.writerIndex(), asked);
            if (n == -Libc.EAGAIN) {
                socket.drained();
                return;
            }
            if (n < 0) {
                LOG.debug("runner connection {} failed while its first bytes were read: {}", connection.runner(),
                        Libc.strerror((int) -n));
                close();
                return;
            }
            if (n == 0) {
                handOver(); // the client half-closed: judge what it sent (the relay reads the end again)
                return;
            }
            peeked.writerIndex(peeked.writerIndex() + (int) n);
            boolean empty = n < asked && shortReadDrains;
            if (empty) {
                socket.drained();
            }
            last = inspector.offer(peeked.nioBuffer());
            if (!(last instanceof Inspection.NeedMore)) {
                handOver();
                return;
            }
            if (empty) {
                return;
            }
        }
    }

    private void handOver() {
        if (peeked == null || !connection.isOpen()) {
            return;
        }
        timer.cancel(false);
        ByteBuf firstBytes = peeked;
        peeked = null;
        next.onFacts(connection, FactsReader.read(connection.runner().getAddress(), connection.destination(), last,
                firstBytes.readableBytes()), firstBytes);
    }

    /** The event loop shuts down before the connection was relayed. */
    @Override
    public void abort() {
        close();
    }

    private void close() {
        timer.cancel(false);
        if (peeked != null) {
            peeked.release();
            peeked = null;
        }
        connection.socket().close(false);
    }
}
