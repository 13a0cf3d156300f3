package io.tollgate.gateway.relay.splice;

/**
 * One relayed connection: two sockets and, per direction, a pipe while bytes are in flight. Every readiness event on
 * either socket pumps both directions until the kernel says "would block", which is what edge-triggered epoll needs.
 * Confined to its relay thread after registration.
 */
final class SplicedConnection {
    private static final long CHUNK = 256 * 1024;

    final long id;
    final int clientFd;
    final int upstreamFd;
    /** Its place in the relay thread's {@link ConnectionSlots}, set when the thread registers it. */
    int slot = -1;
    private final Direction toUpstream;
    private final Direction toClient;

    SplicedConnection(long id, int clientFd, int upstreamFd) {
        this.id = id;
        this.clientFd = clientFd;
        this.upstreamFd = upstreamFd;
        this.toUpstream = new Direction(clientFd, upstreamFd);
        this.toClient = new Direction(upstreamFd, clientFd);
    }

    /** Moves whatever can move now; returns {@code true} once both directions have ended and the fds can be closed. */
    boolean pump(PipePool pipes) throws SpliceException {
        toUpstream.pump(pipes);
        toClient.pump(pipes);
        return toUpstream.finished() && toClient.finished();
    }

    long bytesUp() {
        return toUpstream.moved;
    }

    long bytesDown() {
        return toClient.moved;
    }

    /** Returns held pipes; closes both sockets, with a RST instead of a FIN when {@code reset}. */
    void release(PipePool pipes, boolean reset) {
        toUpstream.release(pipes);
        toClient.release(pipes);
        if (reset) {
            Libc.lingerZero(clientFd);
            Libc.lingerZero(upstreamFd);
        }
        Libc.close(clientFd);
        Libc.close(upstreamFd);
    }

    /** One direction: source socket → pipe → destination socket. */
    private static final class Direction {
        private final int from;
        private final int to;
        private Pipe pipe;
        private long inPipe;
        private boolean sourceEnded;
        private boolean destinationShut;
        long moved;

        Direction(int from, int to) {
            this.from = from;
            this.to = to;
        }

        void pump(PipePool pipes) throws SpliceException {
            while (true) {
                if (inPipe > 0) {
                    long n = Libc.splice(pipe.readFd(), to, inPipe);
                    if (n == -Libc.EAGAIN) {
                        return;
                    }
                    if (n < 0) {
                        throw new SpliceException("writing to fd " + to + " failed: " + Libc.strerror((int) -n));
                    }
                    inPipe -= n;
                    moved += n;
                    continue;
                }
                if (sourceEnded) {
                    if (!destinationShut) {
                        destinationShut = true;
                        release(pipes);
                        int r = Libc.shutdownOutput(to);
                        if (r < 0 && r != -Libc.ENOTCONN) {
                            throw new SpliceException("half-closing fd " + to + " failed: " + Libc.strerror(-r));
                        }
                    }
                    return;
                }
                if (pipe == null) {
                    pipe = pipes.take();
                }
                long n = Libc.splice(from, pipe.writeFd(), CHUNK);
                if (n == -Libc.EAGAIN) {
                    release(pipes);
                    return;
                }
                if (n < 0) {
                    throw new SpliceException("reading from fd " + from + " failed: " + Libc.strerror((int) -n));
                }
                if (n == 0) {
                    sourceEnded = true;
                } else {
                    inPipe = n;
                }
            }
        }

        boolean finished() {
            return destinationShut;
        }

        /** Gives the pipe back when it is empty; a pipe that still holds bytes is closed with them. */
        void release(PipePool pipes) {
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
}
