package io.tollgate.gateway.relay;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the end of one side of a relayed connection to the other: a FIN becomes a FIN (half-close, after every
 * byte already queued has been written), a reset or error becomes a reset, and the pair is closed once both
 * directions have finished.
 */
final class HalfCloseBridge extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HalfCloseBridge.class);

    private final DuplexChannel peer;

    HalfCloseBridge(DuplexChannel peer) {
        this.peer = peer;
    }

    /** Forwards an end of input that happened before the bridge was installed. */
    static void forwardIfAlreadyShut(DuplexChannel from, DuplexChannel to) {
        if (from.isInputShutdown()) {
            shutdownAfterPendingWrites(from, to);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            shutdownAfterPendingWrites((DuplexChannel) ctx.channel(), peer);
        } else {
            ReferenceCountUtil.release(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeAfterPendingWrites(peer);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("relay {} ended: {}", ctx.channel(), cause.getMessage());
        } else {
            LOG.warn("relay {} failed", ctx.channel(), cause);
        }
        Reset.reset(peer);
        Reset.reset(ctx.channel());
    }

    private static void shutdownAfterPendingWrites(DuplexChannel from, DuplexChannel to) {
        to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                return;
            }
            to.shutdownOutput().addListener((ChannelFutureListener) done -> {
                if (from.isInputShutdown() && to.isInputShutdown()) {
                    from.close();
                    to.close();
                }
            });
        });
    }

    private static void closeAfterPendingWrites(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
