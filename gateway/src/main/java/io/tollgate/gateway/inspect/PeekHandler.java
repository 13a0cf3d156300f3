package io.tollgate.gateway.inspect;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.tollgate.sni.FirstBytesInspector;
import io.tollgate.sni.Inspection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers a new connection's first bytes only until the inspector can name the destination (or the bounded wait
 * runs out), hands the facts on, and removes itself from the pipeline so that the relay costs nothing extra.
 *
 * <p>Reading is paused at the decision, so no byte the client sends is lost between the decision and the relay.
 */
public final class PeekHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(PeekHandler.class);

    private final Duration timeout;
    private final int maxBytes;
    private final FactsConsumer next;
    private final FirstBytesInspector inspector = new FirstBytesInspector();
    private ByteBuf peeked;
    private ScheduledFuture<?> timer;
    private Inspection last = Inspection.NeedMore.INSTANCE;

    public PeekHandler(Duration timeout, int maxBytes, FactsConsumer next) {
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.next = next;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // Direct: the relay writes these bytes to the upstream socket from their native address.
        peeked = ctx.alloc().directBuffer(1024, maxBytes + 65_536);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> handOver(ctx), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (peeked.writableBytes() < in.readableBytes()) {
                handOver(ctx);
                return;
            }
            peeked.writeBytes(in);
        } finally {
            in.release();
        }
        last = inspector.offer(peeked.nioBuffer());
        if (!(last instanceof Inspection.NeedMore) || peeked.readableBytes() > maxBytes) {
            handOver(ctx);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            handOver(ctx);
        } else {
            ReferenceCountUtil.release(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelTimer();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
        if (peeked != null) {
            peeked.release();
            peeked = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("runner connection {} failed while its first bytes were read: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    private void handOver(ChannelHandlerContext ctx) {
        if (peeked == null || !ctx.channel().isActive()) {
            return;
        }
        ctx.channel().config().setAutoRead(false);
        ByteBuf firstBytes = peeked;
        peeked = null;
        ctx.pipeline().remove(this);
        InetSocketAddress runner = (InetSocketAddress) ctx.channel().remoteAddress();
        InetSocketAddress original = (InetSocketAddress) ctx.channel().localAddress();
        next.onFacts(ctx.channel(),
                FactsReader.read(runner.getAddress(), original, last, firstBytes.readableBytes()), firstBytes);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
