package io.tollgate.gateway.accept;

import io.netty.channel.IoEventLoop;
import io.tollgate.gateway.sockets.PolledSocket;
import java.net.InetSocketAddress;

/**
 * A runner's TCP connection as accepted: its socket (registered with the event loop that accepted it, which carries it
 * to the end), the runner's address, and the destination the runner asked for (TPROXY keeps it as the socket's own
 * address).
 */
public record RunnerConnection(PolledSocket socket, IoEventLoop loop, InetSocketAddress runner,
        InetSocketAddress destination) {

    public boolean isOpen() {
        return socket.isOpen();
    }

    /** Ends the connection with a TCP RST, so a blocked client fails at once instead of waiting for a timeout. */
    public void reset() {
        socket.close(true);
    }
}
