package io.tollgate.gateway.accept;

import io.tollgate.gateway.sockets.Libc;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports why the listener could not accept runner connections, at most every ten seconds. Running out of file
 * descriptors is the usual cause on a busy node, and the default is to fail closed: the runner's connection waits in
 * the backlog and times out, it is never let through unjudged. Shared by the listener's event loops.
 */
final class AcceptFailureLog {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptFailureLog.class);
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String listening;
    private long lastReport = System.nanoTime() - QUIET_NANOS;
    private long suppressed;

    AcceptFailureLog(InetSocketAddress listening) {
        this.listening = listening.getAddress().getHostAddress() + ":" + listening.getPort();
    }

    synchronized void failed(int errno) {
        long now = System.nanoTime();
        if (now - lastReport < QUIET_NANOS) {
            suppressed++;
            return;
        }
        lastReport = now;
        String message = Libc.strerror(errno);
        if (errno == Libc.EMFILE || errno == Libc.ENFILE) {
            LOG.error("cannot accept runner connections on {}: out of file descriptors ({}); each relayed connection"
                    + " holds two sockets; raise the limit (LimitNOFILE= in the systemd unit, ulimit -n) or add nodes"
                    + " ({} more failures suppressed)", listening, message, suppressed);
        } else {
            LOG.error("cannot accept runner connections on {}: {} ({} more failures suppressed)", listening, message,
                    suppressed);
        }
        suppressed = 0;
    }
}
