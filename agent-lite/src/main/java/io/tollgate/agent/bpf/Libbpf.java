package io.tollgate.agent.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few libbpf 1.x calls the agent makes, bound with the FFM API to the system {@code libbpf.so.1}. Calls that
 * return a pointer return {@code NULL} and set {@code errno} on failure (libbpf 1.0 semantics); the errno is captured
 * right after the call.
 */
final class Libbpf {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

    /** {@code struct bpf_uprobe_opts} of libbpf 1.1: sz, ref_ctr_offset, bpf_cookie, retprobe, func_name. */
    static final StructLayout UPROBE_OPTS = MemoryLayout.structLayout(
            JAVA_LONG.withName("sz"),
            JAVA_LONG.withName("ref_ctr_offset"),
            JAVA_LONG.withName("bpf_cookie"),
            ValueLayout.JAVA_BOOLEAN.withName("retprobe"),
            MemoryLayout.paddingLayout(7),
            ADDRESS.withName("func_name"));

    /** The largest ring-buffer record (a TLS write: header and 4 KiB of data) fits in this. */
    static final long MAX_RECORD = 8192;

    /**
     * {@code int (*ring_buffer_sample_fn)(void *ctx, void *data, size_t size)}; {@code data} arrives as a segment of
     * {@link #MAX_RECORD} bytes (only {@code size} are the record's), so the callback needs no per-record
     * {@code reinterpret}, a caller-sensitive call that walked the stack for every record.
     */
    static final FunctionDescriptor SAMPLE_FN = FunctionDescriptor.of(JAVA_INT, ADDRESS,
            ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(MAX_RECORD, ValueLayout.JAVA_BYTE)), JAVA_LONG);

    private static final SymbolLookup LIB = load();

    private static final MethodHandle OPEN_MEM = pointerCall("bpf_object__open_mem", ADDRESS, JAVA_LONG, ADDRESS);
    private static final MethodHandle LOAD = intCall("bpf_object__load", ADDRESS);
    private static final MethodHandle CLOSE = voidCall("bpf_object__close", ADDRESS);
    private static final MethodHandle FIND_PROGRAM =
            plainCall("bpf_object__find_program_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle FIND_MAP =
            plainCall("bpf_object__find_map_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle MAP_FD = plainCall("bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle MAP_UPDATE = intCall("bpf_map__update_elem",
            ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle MAP_LOOKUP = intCall("bpf_map__lookup_elem",
            ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle ATTACH = pointerCall("bpf_program__attach", ADDRESS);
    private static final MethodHandle ATTACH_UPROBE = pointerCall("bpf_program__attach_uprobe_opts",
            ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS);
    private static final MethodHandle LINK_DESTROY = intCall("bpf_link__destroy", ADDRESS);
    private static final MethodHandle RING_NEW = pointerCall("ring_buffer__new", JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
    /** Returns a negative errno itself, so no errno capture: the poller calls it many times a second. */
    private static final MethodHandle RING_POLL =
            plainCall("ring_buffer__poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RING_CONSUME =
            plainCall("ring_buffer__consume", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle RING_FREE = voidCall("ring_buffer__free", ADDRESS);
    private static final MethodHandle SET_PRINT =
            plainCall("libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));

    private Libbpf() {}

    private static SymbolLookup load() {
        try {
            return SymbolLookup.libraryLookup("libbpf.so.1", Arena.global());
        } catch (IllegalArgumentException e) {
            throw new BpfException("libbpf.so.1 cannot be loaded (" + e.getMessage()
                    + "); install Debian's libbpf1 (apt-get install libbpf1)");
        }
    }

    /** A pointer (or NULL + errno) from a libbpf call. */
    record Pointer(MemorySegment address, int errno) {
        boolean isNull() {
            return address.equals(MemorySegment.NULL);
        }
    }

    /** An int (negative errno on failure) from a libbpf call. */
    record Result(int value, int errno) {}

    static Pointer openMem(MemorySegment object, long size) {
        MemorySegment state = state();
        try {
            return pointer(state, (MemorySegment) OPEN_MEM.invokeExact(state, object, size, MemorySegment.NULL));
        } catch (Throwable t) {
            throw failed("bpf_object__open_mem", t);
        }
    }

    static Result load(MemorySegment object) {
        MemorySegment state = state();
        try {
            return result(state, (int) LOAD.invokeExact(state, object));
        } catch (Throwable t) {
            throw failed("bpf_object__load", t);
        }
    }

    static void close(MemorySegment object) {
        try {
            CLOSE.invokeExact(object);
        } catch (Throwable t) {
            throw failed("bpf_object__close", t);
        }
    }

    static MemorySegment findProgram(MemorySegment object, MemorySegment name) {
        try {
            return (MemorySegment) FIND_PROGRAM.invokeExact(object, name);
        } catch (Throwable t) {
            throw failed("bpf_object__find_program_by_name", t);
        }
    }

    static MemorySegment findMap(MemorySegment object, MemorySegment name) {
        try {
            return (MemorySegment) FIND_MAP.invokeExact(object, name);
        } catch (Throwable t) {
            throw failed("bpf_object__find_map_by_name", t);
        }
    }

    static int mapFd(MemorySegment map) {
        try {
            return (int) MAP_FD.invokeExact(map);
        } catch (Throwable t) {
            throw failed("bpf_map__fd", t);
        }
    }

    static Result mapUpdate(MemorySegment map, MemorySegment key, MemorySegment value) {
        MemorySegment state = state();
        try {
            return result(state, (int) MAP_UPDATE.invokeExact(state, map, key, key.byteSize(), value,
                    value.byteSize(), 0L));
        } catch (Throwable t) {
            throw failed("bpf_map__update_elem", t);
        }
    }

    static Result mapLookup(MemorySegment map, MemorySegment key, MemorySegment value) {
        MemorySegment state = state();
        try {
            return result(state, (int) MAP_LOOKUP.invokeExact(state, map, key, key.byteSize(), value,
                    value.byteSize(), 0L));
        } catch (Throwable t) {
            throw failed("bpf_map__lookup_elem", t);
        }
    }

    static Pointer attach(MemorySegment program) {
        MemorySegment state = state();
        try {
            return pointer(state, (MemorySegment) ATTACH.invokeExact(state, program));
        } catch (Throwable t) {
            throw failed("bpf_program__attach", t);
        }
    }

    static Pointer attachUprobe(MemorySegment program, MemorySegment binaryPath, MemorySegment opts) {
        MemorySegment state = state();
        try {
            return pointer(state, (MemorySegment) ATTACH_UPROBE.invokeExact(state, program, -1, binaryPath, 0L, opts));
        } catch (Throwable t) {
            throw failed("bpf_program__attach_uprobe_opts", t);
        }
    }

    static void destroyLink(MemorySegment link) {
        MemorySegment state = state();
        try {
            int ignored = (int) LINK_DESTROY.invokeExact(state, link);
        } catch (Throwable t) {
            throw failed("bpf_link__destroy", t);
        }
    }

    static Pointer newRingBuffer(int mapFd, MemorySegment callback) {
        MemorySegment state = state();
        try {
            return pointer(state, (MemorySegment) RING_NEW.invokeExact(state, mapFd, callback, MemorySegment.NULL,
                    MemorySegment.NULL));
        } catch (Throwable t) {
            throw failed("ring_buffer__new", t);
        }
    }

    /** The number of records consumed, or a negative errno. */
    static int poll(MemorySegment ring, int timeoutMillis) {
        try {
            return (int) RING_POLL.invokeExact(ring, timeoutMillis);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("ring_buffer__poll failed: " + e, e);
        }
    }

    /** Handles every record waiting in the ring without waiting; the number handled, or a negative errno. */
    static int consume(MemorySegment ring) {
        try {
            return (int) RING_CONSUME.invokeExact(ring);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("ring_buffer__consume failed: " + e, e);
        }
    }

    static void freeRingBuffer(MemorySegment ring) {
        try {
            RING_FREE.invokeExact(ring);
        } catch (Throwable t) {
            throw failed("ring_buffer__free", t);
        }
    }

    /** Silences libbpf's own stderr output: the agent reports every failure itself, with its errno. */
    static void silence() {
        try {
            MemorySegment previous = (MemorySegment) SET_PRINT.invokeExact(MemorySegment.NULL);
        } catch (Throwable t) {
            throw failed("libbpf_set_print", t);
        }
    }

    static MemorySegment upcall(MethodHandle target, FunctionDescriptor descriptor, Arena arena) {
        return LINKER.upcallStub(target, descriptor, arena);
    }

    static MethodHandle sampleHandle(MethodHandles.Lookup lookup, Object receiver, String method) {
        try {
            return lookup.bind(receiver, method,
                    MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class, long.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("ring buffer callback " + method + " is missing", e);
        }
    }

    private static MethodHandle pointerCall(String name, MemoryLayout... args) {
        return captured(name, FunctionDescriptor.of(ADDRESS, args));
    }

    private static MethodHandle intCall(String name, MemoryLayout... args) {
        return captured(name, FunctionDescriptor.of(JAVA_INT, args));
    }

    private static MethodHandle voidCall(String name, MemoryLayout... args) {
        return plainCall(name, FunctionDescriptor.ofVoid(args));
    }

    private static MethodHandle captured(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, CAPTURE_ERRNO);
    }

    private static MethodHandle plainCall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    private static MemorySegment symbol(String name) {
        return LIB.find(name).orElseThrow(() -> new BpfException("libbpf.so.1 has no " + name
                + "; the agent needs libbpf 1.1 or newer"));
    }

    /**
     * The calling thread's errno capture area: libbpf is called from the agent's start and from its polling thread,
     * and typed {@code invokeExact} calls need no argument arrays or generated spreaders per call shape.
     */
    private static MemorySegment state() {
        return STATE.get();
    }

    private static Pointer pointer(MemorySegment state, MemorySegment out) {
        return new Pointer(out, (int) ERRNO.get(state, 0L));
    }

    private static Result result(MemorySegment state, int out) {
        return new Result(out, (int) ERRNO.get(state, 0L));
    }

    private static RuntimeException failed(String call, Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(call + " failed: " + t, t);
    }
}
