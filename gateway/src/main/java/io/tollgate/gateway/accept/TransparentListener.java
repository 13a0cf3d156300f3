package io.tollgate.gateway.accept;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.EventExecutor;
import io.tollgate.gateway.sockets.Libc;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The TPROXY target: a listening socket with IP_TRANSPARENT, so that it accepts connections addressed to any
 * destination. An accepted socket's local address is the destination the runner asked for. Every event loop of the
 * group accepts from it (see {@link Acceptor}).
 */
public final class TransparentListener implements AutoCloseable {
    private static final int BACKLOG = 4096;
    private static final int KEEPALIVE_IDLE_SECONDS = 300;

    private final FileDescriptor socket;
    private final InetSocketAddress address;
    private final List<Acceptor> acceptors;

    private TransparentListener(FileDescriptor socket, InetSocketAddress address, List<Acceptor> acceptors) {
        this.socket = socket;
        this.address = address;
        this.acceptors = acceptors;
    }

    /**
     * @param next takes each accepted connection on the event loop that accepted it
     * @throws ListenerException when the socket cannot be bound, with what the operator should check
     */
    public static TransparentListener bind(EventLoopGroup group, InetSocketAddress address, AcceptedConnections next)
            throws ListenerException {
        FileDescriptor socket = open(address);
        InetSocketAddress bound = Libc.localAddress(socket.intValue());
        AcceptFailureLog failures = new AcceptFailureLog(bound);
        List<Acceptor> acceptors = new ArrayList<>();
        for (EventExecutor executor : group) {
            IoEventLoop loop = (IoEventLoop) executor;
            Acceptor acceptor = new Acceptor(socket, loop, next, failures);
            try {
                loop.submit(acceptor::register).syncUninterruptibly();
            } catch (RuntimeException e) {
                new TransparentListener(socket, bound, acceptors).close();
                throw new ListenerException("cannot accept on " + text(address) + ": " + e.getMessage(), e);
            }
            acceptors.add(acceptor);
        }
        return new TransparentListener(socket, bound, acceptors);
    }

    private static FileDescriptor open(InetSocketAddress address) throws ListenerException {
        int fd = Libc.tcpSocket(address.getAddress());
        if (fd < 0) {
            throw new ListenerException("cannot open a TCP socket for " + text(address) + ": " + Libc.strerror(-fd),
                    null);
        }
        boolean v6 = address.getAddress() instanceof Inet6Address;
        int r = set(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
        if (r == 0) {
            r = v6 ? set(fd, Libc.SOL_IPV6, Libc.IPV6_TRANSPARENT, 1) : set(fd, Libc.SOL_IP, Libc.IP_TRANSPARENT, 1);
        }
        if (r == 0 && v6) {
            r = set(fd, Libc.SOL_IPV6, Libc.IPV6_V6ONLY, 1);
        }
        // Set on the listening socket, which accepted sockets inherit: no system call per connection.
        if (r == 0) {
            r = set(fd, Libc.SOL_SOCKET, Libc.SO_KEEPALIVE, 1);
        }
        if (r == 0) {
            r = set(fd, Libc.IPPROTO_TCP, Libc.TCP_KEEPIDLE, KEEPALIVE_IDLE_SECONDS);
        }
        if (r == 0) {
            r = set(fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1);
        }
        if (r == 0) {
            r = Libc.bind(fd, address);
        }
        if (r == 0) {
            r = Libc.listen(fd, BACKLOG);
        }
        if (r < 0) {
            Libc.close(fd);
            throw new ListenerException("cannot listen on " + text(address) + " with IP_TRANSPARENT: "
                    + Libc.strerror(-r) + " (the gateway needs CAP_NET_ADMIN, i.e. root, and the port must be free;"
                    + " change gateway.listen.tcp if another program holds it)", null);
        }
        return new FileDescriptor(fd);
    }

    private static int set(int fd, int level, int option, int value) {
        return Libc.setIntOption(fd, level, option, value);
    }

    private static String text(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Stops accepting on every loop, then closes the socket; connections already accepted go on. */
    @Override
    public void close() {
        for (Acceptor acceptor : acceptors) {
            if (!acceptor.loop().isShuttingDown()) {
                acceptor.loop().submit(acceptor::stop).syncUninterruptibly();
            }
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing is left to do with a listening socket that failed to close.
        }
    }
}
