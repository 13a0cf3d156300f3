package io.tollgate.gateway.relay;

import io.netty.channel.epoll.EpollSocketChannel;

/** Joins a runner connection to its upstream connection once the inspected first bytes have been forwarded. */
public interface Relay {
    /** Called on the pair's event loop after the first bytes were flushed upstream. */
    void join(EpollSocketChannel client, EpollSocketChannel upstream);
}
