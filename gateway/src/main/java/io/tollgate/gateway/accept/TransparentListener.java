package io.tollgate.gateway.accept;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The TPROXY target: a listening socket with IP_TRANSPARENT, so that it accepts connections addressed to any
 * destination. An accepted socket's local address is the destination the runner asked for.
 */
public final class TransparentListener implements AutoCloseable {
    private final Channel channel;

    private TransparentListener(Channel channel) {
        this.channel = channel;
    }

    private static final IntegerUnixChannelOption SO_KEEPALIVE = new IntegerUnixChannelOption("SO_KEEPALIVE", 1, 9);
    private static final IntegerUnixChannelOption TCP_NODELAY = new IntegerUnixChannelOption("TCP_NODELAY", 6, 1);
    private static final IntegerUnixChannelOption TCP_KEEPIDLE = new IntegerUnixChannelOption("TCP_KEEPIDLE", 6, 4);
    private static final int KEEPALIVE_IDLE_SECONDS = 300;

    /**
     * @throws ListenerException when the socket cannot be bound, with what the operator should check
     */
    public static TransparentListener bind(EventLoopGroup group, InetSocketAddress address,
            Supplier<ChannelHandler> firstHandler) throws ListenerException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .option(EpollChannelOption.IP_TRANSPARENT, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 4096)
                // Set on the listening socket, which accepted sockets inherit from: no system call per connection.
                .option(SO_KEEPALIVE, 1)
                .option(TCP_KEEPIDLE, KEEPALIVE_IDLE_SECONDS)
                .option(TCP_NODELAY, 1)
                .handler(new AcceptFailureLog())
                .childOption(ChannelOption.AUTO_READ, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<EpollSocketChannel>() {
                    @Override
                    protected void initChannel(EpollSocketChannel ch) {
                        ch.pipeline().addLast(firstHandler.get());
                    }
                });
        try {
            return new TransparentListener(bootstrap.bind(address).sync().channel());
        } catch (Exception e) {
            throw new ListenerException("cannot listen on " + address.getAddress().getHostAddress() + ":"
                    + address.getPort() + " with IP_TRANSPARENT: " + e.getMessage()
                    + " (the gateway needs CAP_NET_ADMIN, i.e. root, and the port must be free; change gateway.listen.tcp"
                    + " if another program holds it)", e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
