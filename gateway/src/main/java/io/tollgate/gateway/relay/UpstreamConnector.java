package io.tollgate.gateway.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DuplexChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the gateway's own connection to the original destination on the runner connection's event loop (no
 * thread hand-off between the two halves), forwards the inspected first bytes, then relays.
 */
public final class UpstreamConnector {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnector.class);

    private final Duration connectTimeout;
    public UpstreamConnector(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public void connect(Channel client, InetSocketAddress destination, ByteBuf firstBytes) {
        Bootstrap bootstrap = new Bootstrap()
                .group(client.eventLoop())
                .channel(EpollSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(EpollChannelOption.TCP_KEEPIDLE, 300)
                .handler(new ChannelInboundHandlerAdapter());
        ChannelFuture connecting = bootstrap.connect(destination);
        connecting.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                firstBytes.release();
                LOG.warn("allowed connection from runner {} to {} failed upstream: {}; the runner gets a reset",
                        client.remoteAddress(), destination, f.cause().getMessage());
                Reset.reset(client);
                return;
            }
            if (!client.isActive()) {
                firstBytes.release();
                f.channel().close();
                return;
            }
            Channel upstream = f.channel();
            if (firstBytes.isReadable()) {
                upstream.writeAndFlush(firstBytes);
            } else {
                firstBytes.release();
            }
            Relay.join((DuplexChannel) client, (DuplexChannel) upstream);
        });
    }
}
