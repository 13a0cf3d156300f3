package io.tollgate.gateway.relay.splice;

import io.tollgate.gateway.sockets.Libc;
import java.util.ArrayDeque;

/**
 * Empty pipes kept by one relay thread. A direction holds a pipe only while bytes are in it, so an idle connection
 * costs its two sockets and no pipe (a relay host is limited by file descriptors long before memory).
 * Used by one thread only.
 */
final class PipePool {
    private static final int PIPE_BYTES = 256 * 1024;

    private final ArrayDeque<Pipe> idle = new ArrayDeque<>();
    private final int maxIdle;

    PipePool(int maxIdle) {
        this.maxIdle = maxIdle;
    }

    /** An empty pipe, or {@code null} with the reason logged by the caller when the kernel refused one. */
    Pipe take() throws SpliceException {
        Pipe pipe = idle.pollFirst();
        if (pipe != null) {
            return pipe;
        }
        int[] fds = Libc.pipe();
        if (fds.length == 1) {
            throw new SpliceException("cannot create a pipe: " + Libc.strerror(-fds[0]));
        }
        Libc.setPipeSize(fds[1], PIPE_BYTES);
        return new Pipe(fds[0], fds[1]);
    }

    /** Takes back a pipe that holds no bytes. */
    void giveBack(Pipe pipe) {
        if (idle.size() < maxIdle) {
            idle.addFirst(pipe);
        } else {
            pipe.close();
        }
    }

    void closeAll() {
        idle.forEach(Pipe::close);
        idle.clear();
    }
}
