package io.tollgate.dns.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/** DNS over UDP: one datagram is one query, the answer goes back to its sender. */
@Sharable
final class DatagramQueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final WireExchange exchange;

    DatagramQueryHandler(WireExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        InetSocketAddress sender = packet.sender();
        byte[] wire = ByteBufUtil.getBytes(packet.content());
        exchange.answer(sender, wire, false).thenAccept(answer -> answer.ifPresent(bytes ->
                ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), sender))));
    }
}
