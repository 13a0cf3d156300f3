package io.tollgate.dns.server;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The DNS listener: UDP and TCP on the same address and port, on an epoll {@link EventLoopGroup} the caller owns.
 * Parsing, EDNS0 and truncation are the server's; what to answer is the {@link QueryHandler}'s.
 */
public final class DnsServer implements AutoCloseable {
    /** RFC 7766 recommends seconds, not minutes: idle connections cost the server, and clients reconnect cheaply. */
    public static final Duration DEFAULT_TCP_IDLE_TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_FRAME = 65_535;
    private static final int UDP_RECEIVE_BUFFER = 4 << 20;
    private static final int EPHEMERAL_PORT_ATTEMPTS = 8;

    private final Channel udp;
    private final Channel tcp;

    private DnsServer(Channel udp, Channel tcp) {
        this.udp = udp;
        this.tcp = tcp;
    }

    public static DnsServer start(EventLoopGroup group, InetSocketAddress address, QueryHandler handler)
            throws IOException {
        return start(group, address, handler, DEFAULT_TCP_IDLE_TIMEOUT);
    }

    /** As {@link #start(EventLoopGroup, InetSocketAddress, QueryHandler)}; port 0 picks a port free for both. */
    public static DnsServer start(EventLoopGroup group, InetSocketAddress address, QueryHandler handler,
            Duration tcpIdleTimeout) throws IOException {
        WireExchange exchange = new WireExchange(handler);
        int attempts = address.getPort() == 0 ? EPHEMERAL_PORT_ATTEMPTS : 1;
        IOException last = null;
        for (int i = 0; i < attempts; i++) {
            Channel tcp = bind(tcpBootstrap(group, exchange, tcpIdleTimeout), address, "TCP");
            InetSocketAddress bound = (InetSocketAddress) tcp.localAddress();
            try {
                Channel udp = bind(udpBootstrap(group, exchange), bound, "UDP");
                return new DnsServer(udp, tcp);
            } catch (IOException e) {
                tcp.close().syncUninterruptibly();
                last = e;
            }
        }
        throw last;
    }

    public InetSocketAddress udpAddress() {
        return (InetSocketAddress) udp.localAddress();
    }

    public InetSocketAddress tcpAddress() {
        return (InetSocketAddress) tcp.localAddress();
    }

    /** Stops listening; the event loop group stays the caller's. */
    @Override
    public void close() {
        udp.close().syncUninterruptibly();
        tcp.close().syncUninterruptibly();
    }

    private static ServerBootstrap tcpBootstrap(EventLoopGroup group, WireExchange exchange, Duration idle) {
        return new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(
                                new IdleStateHandler(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS),
                                new LengthFieldBasedFrameDecoder(MAX_FRAME + 2, 0, 2, 0, 2),
                                new LengthFieldPrepender(2),
                                new StreamQueryHandler(exchange));
                    }
                });
    }

    private static Bootstrap udpBootstrap(EventLoopGroup group, WireExchange exchange) {
        return new Bootstrap()
                .group(group)
                .channel(EpollDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, UDP_RECEIVE_BUFFER)
                .handler(new DatagramQueryHandler(exchange));
    }

    private static Channel bind(AbstractBootstrap<?, ?> bootstrap, InetSocketAddress address, String transport)
            throws IOException {
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot listen for DNS over " + transport + " on " + address + ": "
                    + bound.cause().getMessage() + "; is the port taken, or does binding it need privileges?",
                    bound.cause());
        }
        return bound.channel();
    }
}
