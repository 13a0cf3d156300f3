package io.tollgate.gateway.relay;

import io.netty.channel.epoll.EpollSocketChannel;

/**
 * Relays through user space: bytes are copied via pooled direct buffers with backpressure, and each side's end
 * (FIN, reset) is carried across. The {@code copy} relay mode; {@code splice} avoids the copy.
 */
public final class CopyRelay implements Relay {
    @Override
    public void join(EpollSocketChannel client, EpollSocketChannel upstream) {
        client.pipeline().addLast(new CopyForwarder(upstream), new HalfCloseBridge(upstream));
        upstream.pipeline().addLast(new CopyForwarder(client), new HalfCloseBridge(client));
        HalfCloseBridge.forwardIfAlreadyShut(client, upstream);
        HalfCloseBridge.forwardIfAlreadyShut(upstream, client);
        client.config().setAutoRead(true);
        upstream.config().setAutoRead(true);
    }
}
