package io.tollgate.gateway.relay.splice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tollgate.gateway.sockets.Libc;

/**
 * One direction of a relayed connection, source socket → destination socket. Small messages (a TLS handshake
 * flight, a short request or answer) are copied through the event loop's buffer: one {@code recv} and one
 * {@code send}, and a short read ends the turn without a further read to hear "would block". Once a read fills the
 * buffer the direction carries bulk data, and from then on the kernel moves its bytes with splice(2) through a pipe,
 * held only while bytes are in it, until "would block".
 *
 * <p>Bytes read but not yet accepted by a full destination wait in {@code pending} (copy) or the pipe (splice); the
 * source is not read again until they are gone, which is what holds a fast sender back behind a slow reader.
 */
final class Direction {
    private static final long CHUNK = 256 * 1024;

    private final int from;
    private final int to;
    private ByteBuf pending;
    private Pipe pipe;
    private long inPipe;
    private boolean bulk;
    private boolean sourceEnded;
    private boolean destinationShut;
    private long moved;

    Direction(int from, int to) {
        this.from = from;
        this.to = to;
    }

    /**
     * Moves what can move now.
     *
     * @param shortReadDrains the source's readiness event said nothing about its end (no RDHUP, HUP or ERR): a read
     *     shorter than asked then means its socket is empty, and later bytes bring a new edge-triggered event
     * @param oppositeFinished the other direction has finished, so the relay closes both sockets once this one ends,
     *     and close(2) carries the FIN: no shutdown(2) is needed for it
     */
    void pump(RelayLoop loop, boolean shortReadDrains, boolean oppositeFinished) throws SpliceException {
        if (!flush(loop)) {
            return;
        }
        while (!sourceEnded) {
            if (bulk) {
                if (!splice(loop)) {
                    return;
                }
                continue;
            }
            long n = Libc.recv(from, loop.copyAddress(), RelayLoop.COPY_BYTES);
            if (n == -Libc.EAGAIN) {
                return;
            }
            if (n < 0) {
                throw new SpliceException("reading from fd " + from + " failed: " + Libc.strerror((int) -n));
            }
            if (n == 0) {
                sourceEnded = true;
                continue;
            }
            if (!send(loop, n)) {
                return;
            }
            if (n == RelayLoop.COPY_BYTES) {
                bulk = true;
            } else if (shortReadDrains) {
                return;
            }
        }
        if (!destinationShut) {
            destinationShut = true;
            release(loop.pipes());
            if (oppositeFinished) {
                return;
            }
            int r = Libc.shutdownOutput(to);
            if (r < 0 && r != -Libc.ENOTCONN) {
                throw new SpliceException("half-closing fd " + to + " failed: " + Libc.strerror(-r));
            }
        }
    }

    /** Bytes read from the source wait for the destination to accept them. */
    boolean waiting() {
        return pending != null || inPipe > 0;
    }

    /** Sends {@code n} bytes from the loop's copy buffer; keeps what the destination did not take. */
    private boolean send(RelayLoop loop, long n) throws SpliceException {
        long w = Libc.send(to, loop.copyAddress(), n);
        if (w == -Libc.EAGAIN) {
            w = 0;
        } else if (w < 0) {
            throw new SpliceException("writing to fd " + to + " failed: " + Libc.strerror((int) -w));
        }
        moved += w;
        if (w == n) {
            return true;
        }
        pending = ByteBufAllocator.DEFAULT.directBuffer((int) (n - w));
        pending.writeBytes(loop.copyBuffer(w, n - w));
        return false;
    }

    /** Writes what waits from an earlier turn; {@code true} once nothing does. */
    private boolean flush(RelayLoop loop) throws SpliceException {
        if (pending != null) {
            long w = Libc.send(to, pending.memoryAddress() + pending.readerIndex(), pending.readableBytes());
            if (w == -Libc.EAGAIN) {
                return false;
            }
            if (w < 0) {
                throw new SpliceException("writing to fd " + to + " failed: " + Libc.strerror((int) -w));
            }
            moved += w;
            pending.skipBytes((int) w);
            if (pending.isReadable()) {
                return false;
            }
            pending.release();
            pending = null;
        }
        while (inPipe > 0) {
            long n = Libc.splice(pipe.readFd(), to, inPipe);
            if (n == -Libc.EAGAIN) {
                return false;
            }
            if (n < 0) {
                throw new SpliceException("writing to fd " + to + " failed: " + Libc.strerror((int) -n));
            }
            inPipe -= n;
            moved += n;
        }
        return true;
    }

    /**
     * Bulk: source → pipe → destination until either side would block ({@code false}) or the source ends
     * ({@code true}, every byte before its end delivered).
     */
    private boolean splice(RelayLoop loop) throws SpliceException {
        while (true) {
            if (pipe == null) {
                pipe = loop.pipes().take();
            }
            long n = Libc.splice(from, pipe.writeFd(), CHUNK);
            if (n == -Libc.EAGAIN) {
                release(loop.pipes());
                return false;
            }
            if (n < 0) {
                throw new SpliceException("reading from fd " + from + " failed: " + Libc.strerror((int) -n));
            }
            if (n == 0) {
                sourceEnded = true;
                return true;
            }
            inPipe = n;
            if (!flush(loop)) {
                return false;
            }
        }
    }

    /** The source has ended and every byte before its end reached the destination, which was half-closed. */
    boolean finished() {
        return destinationShut;
    }

    long moved() {
        return moved;
    }

    /** Gives back what the direction holds: the pipe to the pool when empty (else closed with its bytes), the copy. */
    void release(PipePool pipes) {
        if (pending != null) {
            pending.release();
            pending = null;
        }
        if (pipe == null) {
            return;
        }
        if (inPipe == 0) {
            pipes.giveBack(pipe);
        } else {
            pipe.close();
        }
        pipe = null;
    }
}
