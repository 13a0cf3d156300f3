package io.tollgate.gateway.sockets;

import io.netty.util.concurrent.FastThreadLocal;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The Linux system calls of the data path (accepting, relaying), bound with FFM. Every call returns the syscall's result, or
 * {@code -errno} when it failed (errno is captured by the linker, never read from a stale thread-local).
 */
@SuppressWarnings("restricted") // binding libc is this class's whole job; the gateway runs with --enable-native-access
public final class Libc {
    public static final int EAGAIN = 11;
    public static final int ENOTCONN = 107;


    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;
    public static final int SPLICE_F_MOVE = 1;
    public static final int SPLICE_F_NONBLOCK = 2;
    public static final int F_SETPIPE_SZ = 1031;
    public static final int SHUT_WR = 1;
    public static final int SOL_SOCKET = 1;
    public static final int SO_LINGER = 13;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int EINPROGRESS = 115;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SO_ERROR = 4;
    public static final int SO_KEEPALIVE = 9;
    public static final int IPPROTO_TCP = 6;
    public static final int TCP_NODELAY = 1;
    public static final int TCP_KEEPIDLE = 4;
    public static final int SO_REUSEADDR = 2;
    public static final int SOL_IP = 0;
    public static final int IP_TRANSPARENT = 19;
    public static final int SOL_IPV6 = 41;
    public static final int IPV6_V6ONLY = 26;
    public static final int IPV6_TRANSPARENT = 75;
    public static final int EMFILE = 24;
    public static final int ENFILE = 23;
    public static final int ENOBUFS = 105;
    public static final int ENOMEM = 12;
    public static final int ECONNABORTED = 103;


    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle SPLICE = bind("splice", ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT);
    private static final MethodHandle SOCKET = bind("socket", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final MethodHandle CONNECT = bind("connect", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
    private static final MethodHandle GETSOCKOPT = bind("getsockopt", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS);
    private static final MethodHandle RECV = bind("recv", ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT);
    private static final MethodHandle SEND = bind("send", ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT);
    private static final MethodHandle PIPE2 = bind("pipe2", ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.JAVA_INT);
    private static final MethodHandle FCNTL = bind("fcntl", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final MethodHandle BIND = bind("bind", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
    private static final MethodHandle LISTEN = bind("listen", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT);
    private static final MethodHandle ACCEPT4 = bind("accept4", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
    private static final MethodHandle GETSOCKNAME = bind("getsockname", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS);
    private static final MethodHandle CLOSE = bind("close", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final MethodHandle SHUTDOWN = bind("shutdown", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT);
    private static final MethodHandle SETSOCKOPT = bind("setsockopt", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("strerror"),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private static final long SOCKADDR_BYTES = 28; // sockaddr_in6, the larger of the two families

    /**
     * Per-thread native memory for errno capture and small out-parameters, sliced once so that a call allocates
     * nothing; the data path calls from the event loops.
     */
    private record Scratch(MemorySegment state, MemorySegment sockaddr, MemorySegment length, MemorySegment word,
            MemorySegment wordHigh) {
        static Scratch allocate() {
            long offset = (CALL_STATE.byteSize() + 7) & ~7L;
            MemorySegment all = Arena.ofAuto().allocate(offset + 48, 8);
            MemorySegment word = all.asSlice(offset + 40, 8);
            return new Scratch(all, all.asSlice(offset, SOCKADDR_BYTES), all.asSlice(offset + 32, 4), word,
                    word.asSlice(4, 4));
        }
    }

    private static final FastThreadLocal<Scratch> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return Scratch.allocate();
        }
    };

    private Libc() {}

    public static long splice(int fromFd, int toFd, long length) {
        try {
            long n = (long) SPLICE.invokeExact(state(), fromFd, MemorySegment.NULL, toFd, MemorySegment.NULL, length,
                    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            return n < 0 ? -errno() : n;
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** Reads up to {@code length} bytes of a socket into native memory at {@code address}. */
    public static long recv(int fd, long address, long length) {
        try {
            long n = (long) RECV.invokeExact(state(), fd, MemorySegment.ofAddress(address), length, 0);
            return n < 0 ? -errno() : n;
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** Writes {@code length} bytes at native {@code address} to a socket; a closed peer is an error, not a SIGPIPE. */
    public static long send(int fd, long address, long length) {
        try {
            long n = (long) SEND.invokeExact(state(), fd, MemorySegment.ofAddress(address), length, MSG_NOSIGNAL);
            return n < 0 ? -errno() : n;
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** Returns {read fd, write fd}, or {-errno}. */
    public static int[] pipe() {
        MemorySegment fds = scratch().word();
        try {
            int r = result((int) PIPE2.invokeExact(state(), fds, O_NONBLOCK | O_CLOEXEC));
            return r < 0 ? new int[] {r}
                    : new int[] {fds.get(ValueLayout.JAVA_INT, 0), fds.get(ValueLayout.JAVA_INT, 4)};
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    public static int setPipeSize(int fd, int bytes) {
        try {
            return result((int) FCNTL.invokeExact(state(), fd, F_SETPIPE_SZ, bytes));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    public static int close(int fd) {
        try {
            return result((int) CLOSE.invokeExact(state(), fd));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    public static int shutdownOutput(int fd) {
        try {
            return result((int) SHUTDOWN.invokeExact(state(), fd, SHUT_WR));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** A non-blocking TCP socket of the address's family. */
    public static int tcpSocket(InetAddress address) {
        int family = address instanceof Inet6Address ? AF_INET6 : AF_INET;
        try {
            return result((int) SOCKET.invokeExact(state(), family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** Starts connecting a non-blocking socket: 0 when connected at once, {@code -EINPROGRESS} while it goes on. */
    public static int connect(int fd, InetSocketAddress to) {
        MemorySegment sockaddr = scratch().sockaddr();
        int length = encode(to, sockaddr);
        try {
            return result((int) CONNECT.invokeExact(state(), fd, sockaddr, length));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    public static int bind(int fd, InetSocketAddress to) {
        MemorySegment sockaddr = scratch().sockaddr();
        int length = encode(to, sockaddr);
        try {
            return result((int) BIND.invokeExact(state(), fd, sockaddr, length));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    public static int listen(int fd, int backlog) {
        try {
            return result((int) LISTEN.invokeExact(state(), fd, backlog));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /**
     * Accepts a connection as a non-blocking socket; its peer's address is then in {@link #lastAddress()} until the
     * thread's next call here.
     */
    public static int accept(int fd) {
        Scratch scratch = scratch();
        scratch.length().set(ValueLayout.JAVA_INT, 0, (int) SOCKADDR_BYTES);
        try {
            return result((int) ACCEPT4.invokeExact(scratch.state(), fd, scratch.sockaddr(), scratch.length(),
                    SOCK_NONBLOCK | SOCK_CLOEXEC));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** A socket's own address (for a TPROXY socket: the destination the client asked for); null when it failed. */
    public static InetSocketAddress localAddress(int fd) {
        Scratch scratch = scratch();
        scratch.length().set(ValueLayout.JAVA_INT, 0, (int) SOCKADDR_BYTES);
        try {
            int r = (int) GETSOCKNAME.invokeExact(scratch.state(), fd, scratch.sockaddr(), scratch.length());
            return r < 0 ? null : decode(scratch.sockaddr());
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** The peer address of the connection the thread's last {@link #accept} returned. */
    public static InetSocketAddress lastAddress() {
        return decode(scratch().sockaddr());
    }

    private static int encode(InetSocketAddress to, MemorySegment sockaddr) {
        byte[] ip = to.getAddress().getAddress();
        int length = ip.length == 4 ? 16 : 28;
        sockaddr.fill((byte) 0);
        sockaddr.set(ValueLayout.JAVA_SHORT, 0, (short) (ip.length == 4 ? AF_INET : AF_INET6));
        sockaddr.set(ValueLayout.JAVA_BYTE, 2, (byte) (to.getPort() >> 8));
        sockaddr.set(ValueLayout.JAVA_BYTE, 3, (byte) to.getPort());
        MemorySegment.copy(ip, 0, sockaddr, ValueLayout.JAVA_BYTE, ip.length == 4 ? 4 : 8, ip.length);
        if (to.getAddress() instanceof Inet6Address v6) {
            sockaddr.set(ValueLayout.JAVA_INT, 24, v6.getScopeId());
        }
        return length;
    }

    private static InetSocketAddress decode(MemorySegment sockaddr) {
        int port = (sockaddr.get(ValueLayout.JAVA_BYTE, 2) & 0xff) << 8 | sockaddr.get(ValueLayout.JAVA_BYTE, 3) & 0xff;
        boolean v4 = sockaddr.get(ValueLayout.JAVA_SHORT, 0) == AF_INET;
        byte[] ip = new byte[v4 ? 4 : 16];
        MemorySegment.copy(sockaddr, ValueLayout.JAVA_BYTE, v4 ? 4 : 8, ip, 0, ip.length);
        try {
            // An address from the kernel is always of a valid length, so this never throws.
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pending error of a socket (SO_ERROR, which reading clears): 0, or the errno a connect ended with. */
    public static int socketError(int fd) {
        Scratch scratch = scratch();
        MemorySegment out = scratch.word();
        out.set(ValueLayout.JAVA_INT, 0, 0);
        out.set(ValueLayout.JAVA_INT, 4, 4);
        try {
            int r = result((int) GETSOCKOPT.invokeExact(scratch.state(), fd, SOL_SOCKET, SO_ERROR, out,
                    scratch.wordHigh()));
            return r < 0 ? -r : out.get(ValueLayout.JAVA_INT, 0);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    public static int setIntOption(int fd, int level, int option, int value) {
        MemorySegment v = scratch().word();
        v.set(ValueLayout.JAVA_INT, 0, value);
        try {
            return result((int) SETSOCKOPT.invokeExact(state(), fd, level, option, v, 4));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** SO_LINGER {on, 0 s}: the next close(2) sends a RST instead of a FIN. */
    public static int lingerZero(int fd) {
        MemorySegment linger = scratch().word();
        linger.set(ValueLayout.JAVA_INT, 0, 1);
        linger.set(ValueLayout.JAVA_INT, 4, 0);
        try {
            return result((int) SETSOCKOPT.invokeExact(state(), fd, SOL_SOCKET, SO_LINGER, linger, 8));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    public static String strerror(int errno) {
        try {
            MemorySegment message = (MemorySegment) STRERROR.invokeExact(errno);
            return message.reinterpret(256).getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    private static MemorySegment state() {
        return SCRATCH.get().state();
    }

    private static Scratch scratch() {
        return SCRATCH.get();
    }

    private static int errno() {
        return (int) ERRNO.get(SCRATCH.get().state(), 0L);
    }

    private static int result(int r) {
        return r < 0 ? -errno() : r;
    }

    private static IllegalStateException failed(Throwable t) {
        return new IllegalStateException("a system call of the data path failed inside the JVM: " + t, t);
    }

    private static MethodHandle bind(String name, ValueLayout result, ValueLayout... args) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), FunctionDescriptor.of(result, args),
                CAPTURE_ERRNO);
    }
}
