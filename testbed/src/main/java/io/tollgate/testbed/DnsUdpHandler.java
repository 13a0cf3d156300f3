package io.tollgate.testbed;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/** One datagram in, one datagram back to its sender (a reply that cannot be routed is dropped by the kernel). */
@Sharable
final class DnsUdpHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final DnsResponder responder;

    DnsUdpHandler(DnsResponder responder) {
        this.responder = responder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        responder.answer(ByteBufUtil.getBytes(packet.content()), DnsResponder.UDP, packet.sender().getAddress())
                .ifPresent(answer -> ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(answer), packet.sender())));
    }
}
