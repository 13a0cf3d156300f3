package io.tollgate.testbed;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.InetSocketAddress;

/**
 * One length-framed message in, one back on the same connection (the framing is done by the pipeline); several
 * queries may share a connection. A malformed message closes it.
 */
final class DnsTcpHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final DnsResponder responder;

    DnsTcpHandler(DnsResponder responder) {
        this.responder = responder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf message) {
        var client = (InetSocketAddress) ctx.channel().remoteAddress();
        responder.answer(ByteBufUtil.getBytes(message), DnsResponder.TCP, client.getAddress()).ifPresentOrElse(
                answer -> ctx.writeAndFlush(Unpooled.wrappedBuffer(answer)),
                ctx::close);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
