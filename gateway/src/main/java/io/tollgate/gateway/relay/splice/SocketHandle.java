package io.tollgate.gateway.relay.splice;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.unix.FileDescriptor;

/** One socket of a relayed connection, registered with its Netty event loop's epoll: readiness pumps the connection. */
final class SocketHandle implements EpollIoHandle {
    final FileDescriptor socket;
    private final RelayedConnection connection;
    IoRegistration registration;

    SocketHandle(FileDescriptor socket, RelayedConnection connection) {
        this.socket = socket;
        this.connection = connection;
    }

    @Override
    public FileDescriptor fd() {
        return socket;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        connection.ready(this, event);
    }

    /** Called by Netty when the event loop shuts down with the connection still open. */
    @Override
    public void close() {
        connection.abort();
    }
}
