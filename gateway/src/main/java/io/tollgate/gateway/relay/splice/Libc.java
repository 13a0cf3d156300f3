package io.tollgate.gateway.relay.splice;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few Linux system calls the splice relay needs, bound with FFM. Every call returns the syscall's result, or
 * {@code -errno} when it failed (errno is captured by the linker, never read from a stale thread-local).
 */
@SuppressWarnings("restricted") // binding libc is this class's whole job; the gateway runs with --enable-native-access
final class Libc {
    static final int EAGAIN = 11;
    static final int EINTR = 4;
    static final int ENOTCONN = 107;

    static final int EPOLLIN = 0x001;
    static final int EPOLLOUT = 0x004;
    static final int EPOLLERR = 0x008;
    static final int EPOLLHUP = 0x010;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLLET = 1 << 31;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CLOEXEC = 0x80000;

    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int SPLICE_F_MOVE = 1;
    static final int SPLICE_F_NONBLOCK = 2;
    static final int F_SETPIPE_SZ = 1031;
    static final int SHUT_WR = 1;
    static final int SOL_SOCKET = 1;
    static final int SO_LINGER = 13;

    /** {@code struct epoll_event} is packed on x86_64: a 32-bit event mask followed by 64 bits of user data. */
    static final StructLayout EPOLL_EVENT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT_UNALIGNED.withName("events"),
            ValueLayout.JAVA_LONG_UNALIGNED.withName("data"));
    static final VarHandle EVENT_MASK = EPOLL_EVENT.varHandle(MemoryLayout.PathElement.groupElement("events"));
    static final VarHandle EVENT_DATA = EPOLL_EVENT.varHandle(MemoryLayout.PathElement.groupElement("data"));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle EPOLL_CREATE1 = bind("epoll_create1", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final MethodHandle EPOLL_CTL = bind("epoll_ctl", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS);
    private static final MethodHandle EPOLL_WAIT = bind("epoll_wait", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final MethodHandle SPLICE = bind("splice", ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT);
    private static final MethodHandle PIPE2 = bind("pipe2", ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
            ValueLayout.JAVA_INT);
    private static final MethodHandle FCNTL = bind("fcntl", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final MethodHandle DUP = bind("dup", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final MethodHandle CLOSE = bind("close", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT);
    private static final MethodHandle SHUTDOWN = bind("shutdown", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT);
    private static final MethodHandle SETSOCKOPT = bind("setsockopt", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT);
    private static final MethodHandle EVENTFD = bind("eventfd", ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT);
    private static final MethodHandle WRITE = bind("write", ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
    private static final MethodHandle READ = bind("read", ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("strerror"),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    /** Per-thread scratch memory for errno capture and small out-parameters; the relay calls from few threads. */
    private static final long SCRATCH_OFFSET = (CALL_STATE.byteSize() + 7) & ~7L;
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(SCRATCH_OFFSET + 16, 8));

    private Libc() {}

    static int epollCreate() {
        try {
            return result((int) EPOLL_CREATE1.invokeExact(state(), EPOLL_CLOEXEC));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int epollCtl(int epfd, int op, int fd, int events, long data) {
        MemorySegment event = scratch(EPOLL_EVENT.byteSize());
        EVENT_MASK.set(event, 0L, events);
        EVENT_DATA.set(event, 0L, data);
        try {
            return result((int) EPOLL_CTL.invokeExact(state(), epfd, op, fd, event));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        try {
            return result((int) EPOLL_WAIT.invokeExact(state(), epfd, events, maxEvents, timeoutMillis));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static long splice(int fromFd, int toFd, long length) {
        try {
            long n = (long) SPLICE.invokeExact(state(), fromFd, MemorySegment.NULL, toFd, MemorySegment.NULL, length,
                    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            return n < 0 ? -errno() : n;
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** Returns {read fd, write fd}, or {-errno}. */
    static int[] pipe() {
        MemorySegment fds = scratch(8);
        try {
            int r = result((int) PIPE2.invokeExact(state(), fds, O_NONBLOCK | O_CLOEXEC));
            return r < 0 ? new int[] {r}
                    : new int[] {fds.get(ValueLayout.JAVA_INT, 0), fds.get(ValueLayout.JAVA_INT, 4)};
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int setPipeSize(int fd, int bytes) {
        try {
            return result((int) FCNTL.invokeExact(state(), fd, F_SETPIPE_SZ, bytes));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int dup(int fd) {
        try {
            return result((int) DUP.invokeExact(state(), fd));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int close(int fd) {
        try {
            return result((int) CLOSE.invokeExact(state(), fd));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int shutdownOutput(int fd) {
        try {
            return result((int) SHUTDOWN.invokeExact(state(), fd, SHUT_WR));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** SO_LINGER {on, 0 s}: the next close(2) sends a RST instead of a FIN. */
    static int lingerZero(int fd) {
        MemorySegment linger = scratch(8);
        linger.set(ValueLayout.JAVA_INT, 0, 1);
        linger.set(ValueLayout.JAVA_INT, 4, 0);
        try {
            return result((int) SETSOCKOPT.invokeExact(state(), fd, SOL_SOCKET, SO_LINGER, linger, 8));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static int eventfd() {
        try {
            return result((int) EVENTFD.invokeExact(state(), 0, EFD_NONBLOCK | EFD_CLOEXEC));
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** Adds one to an eventfd's counter, waking whoever waits on it. */
    static void signal(int eventFd) {
        MemorySegment one = scratch(8);
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
        try {
            long ignored = (long) WRITE.invokeExact(state(), eventFd, one, 8L);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    /** Resets an eventfd's counter to zero. */
    static void drain(int eventFd) {
        try {
            long ignored = (long) READ.invokeExact(state(), eventFd, scratch(8), 8L);
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment message = (MemorySegment) STRERROR.invokeExact(errno);
            return message.reinterpret(256).getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            throw failed(t);
        }
    }

    private static MemorySegment state() {
        return STATE.get();
    }

    private static MemorySegment scratch(long size) {
        return STATE.get().asSlice(SCRATCH_OFFSET, size);
    }

    private static int errno() {
        return (int) ERRNO.get(STATE.get(), 0L);
    }

    private static int result(int r) {
        return r < 0 ? -errno() : r;
    }

    private static IllegalStateException failed(Throwable t) {
        return new IllegalStateException("a system call of the splice relay failed inside the JVM: " + t, t);
    }

    private static MethodHandle bind(String name, ValueLayout result, ValueLayout... args) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), FunctionDescriptor.of(result, args),
                CAPTURE_ERRNO);
    }
}
