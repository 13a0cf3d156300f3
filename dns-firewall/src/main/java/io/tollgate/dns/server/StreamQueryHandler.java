package io.tollgate.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;

/**
 * DNS over TCP (RFC 7766): after the length framing, each frame is one whole query; a connection may carry many, and
 * answers go back as they are ready (matched by id). A connection idle for the server's timeout is closed.
 */
final class StreamQueryHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final WireExchange exchange;

    StreamQueryHandler(WireExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        byte[] wire = ByteBufUtil.getBytes(frame);
        exchange.answer(peer, wire, true).thenAccept(answer -> answer.ifPresent(bytes ->
                ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes))));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
