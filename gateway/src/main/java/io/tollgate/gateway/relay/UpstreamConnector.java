package io.tollgate.gateway.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.tollgate.gateway.relay.splice.SpliceException;
import io.tollgate.gateway.relay.splice.SpliceRelay;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the gateway's own connection to the original destination on the runner connection's event loop (no
 * thread hand-off between the two halves), forwards the inspected first bytes, then hands both sockets to the
 * splice relay.
 */
public final class UpstreamConnector {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamConnector.class);
    private static final ChannelHandler NO_HANDLER = new NoHandler();

    private final Duration connectTimeout;
    private final SpliceRelay relay;
    private final Map<EventLoop, Bootstrap> bootstraps = new ConcurrentHashMap<>();

    public UpstreamConnector(Duration connectTimeout, SpliceRelay relay) {
        this.connectTimeout = connectTimeout;
        this.relay = relay;
    }

    public void connect(Channel client, InetSocketAddress destination, ByteBuf firstBytes) {
        ChannelFuture connecting = bootstrapFor(client.eventLoop()).connect(destination);
        connecting.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                firstBytes.release();
                LOG.warn("allowed connection from runner {} to {} failed upstream: {}; the runner gets a reset",
                        client.remoteAddress(), destination, rootCause(f.cause()));
                Reset.reset(client);
                return;
            }
            if (!client.isActive()) {
                firstBytes.release();
                f.channel().close();
                return;
            }
            EpollSocketChannel upstream = (EpollSocketChannel) f.channel();
            upstream.writeAndFlush(firstBytes).addListener((ChannelFuture written) -> {
                if (written.isSuccess()) {
                    // Not inline: this listener runs inside Netty's completion of the connect, and closing the channel
                    // there (the relay takes the socket over) makes Netty fail the still-set connect promise with a
                    // new ClosedChannelException and its stack trace, once per connection.
                    upstream.eventLoop().execute(() -> joinOrReset((EpollSocketChannel) client, upstream));
                } else {
                    LOG.warn("allowed connection from runner {} to {} failed upstream while forwarding its first bytes:"
                            + " {}; the runner gets a reset", client.remoteAddress(), destination, written.cause().getMessage());
                    Reset.reset(client);
                    Reset.reset(upstream);
                }
            });
        });
    }

    /** One bootstrap per event loop, made on first use: the options and the handler are the same for every connection. */
    private Bootstrap bootstrapFor(EventLoop loop) {
        Bootstrap bootstrap = bootstraps.get(loop);
        if (bootstrap == null) {
            bootstrap = bootstraps.computeIfAbsent(loop, l -> new Bootstrap()
                    .group(l)
                    .channel(EpollSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.SO_KEEPALIVE, true)
                    .option(EpollChannelOption.TCP_KEEPIDLE, 300)
                    .handler(NO_HANDLER)
                    .disableResolver()); // destinations are addresses already: skip the resolver look-up
        }
        return bootstrap;
    }

    /** Upstream channels need a handler to be registered; this one does nothing and is shared by all of them. */
    @ChannelHandler.Sharable
    private static final class NoHandler extends ChannelInboundHandlerAdapter {}

    /** The innermost message ("Too many open files", "No route to host"), which is the one an operator can act on. */
    private static String rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private void joinOrReset(EpollSocketChannel client, EpollSocketChannel upstream) {
        try {
            relay.adopt(client, upstream);
        } catch (SpliceException e) {
            LOG.warn("allowed connection from runner {} to {} reset: the relay could not take it over: {}",
                    client.remoteAddress(), upstream.remoteAddress(), e.getMessage());
            Reset.reset(client);
            Reset.reset(upstream);
        } catch (RuntimeException e) {
            LOG.error("allowed connection from runner {} to {} reset: relaying it failed", client.remoteAddress(),
                    upstream.remoteAddress(), e);
            Reset.reset(client);
            Reset.reset(upstream);
        }
    }
}
