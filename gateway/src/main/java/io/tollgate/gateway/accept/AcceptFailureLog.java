package io.tollgate.gateway.accept;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports why the listener could not accept runner connections, at most every ten seconds. Running out of file
 * descriptors is the usual cause on a busy node, and the default is to fail closed: the runner's connection waits in
 * the backlog and times out, it is never let through unjudged.
 */
@ChannelHandler.Sharable
final class AcceptFailureLog extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptFailureLog.class);
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);

    private long lastReport = System.nanoTime() - QUIET_NANOS;
    private long suppressed;

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        long now = System.nanoTime();
        if (now - lastReport < QUIET_NANOS) {
            suppressed++;
            return;
        }
        lastReport = now;
        String message = String.valueOf(cause.getMessage());
        if (message.contains("Too many open files")) {
            LOG.error("cannot accept runner connections on {}: out of file descriptors ({}); each relayed connection"
                    + " holds two sockets; raise the limit (LimitNOFILE= in the systemd unit, ulimit -n) or add nodes"
                    + " ({} more failures suppressed)", ctx.channel().localAddress(), message, suppressed);
        } else {
            LOG.error("cannot accept runner connections on {}: {} ({} more failures suppressed)",
                    ctx.channel().localAddress(), message, suppressed);
        }
        suppressed = 0;
    }
}
