package io.tollgate.testbed;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/** FFM binding to libc {@code setns(2)}: moves the calling thread (only) into a network namespace. */
@SuppressWarnings("restricted") // calling native code is the point of this class; surefire enables native access
final class LibcSetns {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    // int open(const char *path, int flags, ...): variadic, so the mode is passed as the first variadic argument.
    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle SETNS = downcall("setns",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = downcall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private LibcSetns() {
    }

    /** Enters the network namespace bound at {@code nsFile} (e.g. {@code /run/netns/<name>}) on the current thread. */
    static void enterNetworkNamespace(Path nsFile) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = arena.allocate(CALL_STATE);
            int fd = (int) OPEN.invokeExact(callState, arena.allocateFrom(nsFile.toString()), O_RDONLY | O_CLOEXEC, 0);
            if (fd < 0) {
                throw new TestbedException("open(" + nsFile + ") failed: " + strerror(callState));
            }
            try {
                int rc = (int) SETNS.invokeExact(callState, fd, CLONE_NEWNET);
                if (rc != 0) {
                    throw new TestbedException("setns(" + nsFile + ", CLONE_NEWNET) failed: " + strerror(callState));
                }
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (TestbedException e) {
            throw e;
        } catch (Throwable e) {
            throw new TestbedException("setns binding failed for " + nsFile, e);
        }
    }

    private static String strerror(MemorySegment callState) throws Throwable {
        int errno = (int) ERRNO.get(callState, 0L);
        MemorySegment message = (MemorySegment) STRERROR.invokeExact(errno);
        return message.reinterpret(256).getString(0) + " (errno " + errno + ")";
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new TestbedException("libc symbol not found: " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }
}
