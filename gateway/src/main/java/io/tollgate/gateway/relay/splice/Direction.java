package io.tollgate.gateway.relay.splice;

/**
 * One direction of a relayed connection: source socket → pipe → destination socket. A pipe is held only while bytes
 * are in it. Pumps until the kernel says "would block", which is what edge-triggered epoll needs.
 */
final class Direction {
    private static final long CHUNK = 256 * 1024;

    private final int from;
    private final int to;
    private Pipe pipe;
    private long inPipe;
    private boolean sourceEnded;
    private boolean destinationShut;
    private long moved;

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

    /** The source has ended and every byte before its end reached the destination, which was half-closed. */
    boolean finished() {
        return destinationShut;
    }

    long moved() {
        return moved;
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
