package io.tollgate.agent.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The loaded BPF object ({@code agent.bpf.o}): its programs, attached one feature at a time so a missing kernel
 * feature disables only that feature, and the ring buffer every program writes records into.
 */
public final class KernelProbes implements AutoCloseable {
    /** A feature's programs and whether they attached. */
    public record Feature(String name, List<String> programs) {}

    public static final Feature PROCESSES =
            new Feature("process table (sched_process_exec/fork/exit)", List.of("on_exec", "on_fork", "on_exit"));
    public static final Feature CONNECTS =
            new Feature("TCP connect attribution (inet_sock_set_state)", List.of("on_sock_state"));
    public static final Feature TLS_SOCKETS = new Feature(
            "TLS write to socket pairing (syscalls:sys_enter_write/writev/sendto/sendmsg)",
            List.of("on_write", "on_writev", "on_sendto", "on_sendmsg"));
    public static final Feature UDP_SENDS = new Feature(
            "UDP send attribution (syscalls:sys_enter_sendto/sendmsg/sendmmsg/write/writev, net:net_dev_queue)",
            List.of("on_udp_sendto", "on_udp_sendmsg", "on_udp_sendmmsg", "on_udp_write", "on_udp_writev",
                    "on_net_dev_queue"));
    public static final Feature LIBRARIES = new Feature(
            "TLS libraries loaded after start (syscalls:sys_enter_openat/sys_exit_openat)",
            List.of("on_openat", "on_openat_exit"));

    private final Arena arena = Arena.ofShared();
    private final MemorySegment object;
    private final List<MemorySegment> links = new ArrayList<>();
    private MemorySegment ring = MemorySegment.NULL;
    private Consumer<ByteBuffer> sink;

    private KernelProbes(MemorySegment object) {
        this.object = object;
    }

    /**
     * Opens and loads the object and limits it to the network namespace {@code netnsInode} (0 = every namespace).
     *
     * @throws BpfException when the kernel refuses the object (no BPF, no BTF, missing privilege)
     */
    public static KernelProbes load(byte[] elf, long netnsInode) {
        Libbpf.silence();
        KernelProbes probes;
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment image = Arena.global().allocate(elf.length);
            MemorySegment.copy(elf, 0, image, ValueLayout.JAVA_BYTE, 0, elf.length);
            Libbpf.Pointer opened = Libbpf.openMem(image, elf.length);
            if (opened.isNull()) {
                throw new BpfException("the BPF object cannot be opened: " + Errno.describe(opened.errno()));
            }
            probes = new KernelProbes(opened.address());
            Libbpf.Result loaded = Libbpf.load(opened.address());
            if (loaded.value() != 0) {
                probes.close();
                throw new BpfException("the kernel refused the BPF programs: " + Errno.describe(-loaded.value())
                        + "; the agent needs root (CAP_BPF and CAP_PERFMON), a kernel with BTF"
                        + " (/sys/kernel/btf/vmlinux) and BPF ring buffers (Linux 5.8+)");
            }
            MemorySegment filter = Libbpf.findMap(opened.address(), scratch.allocateFrom("netns_filter"));
            MemorySegment key = scratch.allocate(ValueLayout.JAVA_INT);
            MemorySegment value = scratch.allocate(ValueLayout.JAVA_INT);
            value.set(ValueLayout.JAVA_INT, 0, (int) netnsInode);
            Libbpf.Result set = Libbpf.mapUpdate(filter, key, value);
            if (set.value() != 0) {
                probes.close();
                throw new BpfException("the network namespace filter cannot be set: " + Errno.describe(-set.value()));
            }
        }
        return probes;
    }

    /** Attaches a kernel feature's programs (all or none); returns why it failed, or {@code null}. */
    public synchronized String attach(Feature feature) {
        List<MemorySegment> attached = new ArrayList<>();
        for (String name : feature.programs()) {
            Libbpf.Pointer link = Libbpf.attach(program(name));
            if (link.isNull()) {
                attached.forEach(Libbpf::destroyLink);
                return feature.name() + ": program " + name + " did not attach: " + Errno.describe(link.errno());
            }
            attached.add(link.address());
        }
        links.addAll(attached);
        return null;
    }

    /**
     * Attaches uprobes on {@code functions} (pairs of symbol and program name) of the shared library at
     * {@code library}, for every process that maps it; returns why one failed, or {@code null}.
     */
    public synchronized String attachUprobes(Path library, List<String[]> functions) {
        List<MemorySegment> attached = new ArrayList<>();
        try (Arena scratch = Arena.ofConfined()) {
            for (String[] function : functions) {
                MemorySegment opts = scratch.allocate(Libbpf.UPROBE_OPTS);
                opts.set(ValueLayout.JAVA_LONG, 0, Libbpf.UPROBE_OPTS.byteSize());
                opts.set(ValueLayout.ADDRESS, Libbpf.UPROBE_OPTS.byteOffset(
                        java.lang.foreign.MemoryLayout.PathElement.groupElement("func_name")),
                        scratch.allocateFrom(function[0]));
                Libbpf.Pointer link = Libbpf.attachUprobe(program(function[1]),
                        scratch.allocateFrom(library.toString()), opts);
                if (link.isNull()) {
                    attached.forEach(Libbpf::destroyLink);
                    return "uprobe on " + function[0] + " in " + library + ": " + Errno.describe(link.errno());
                }
                attached.add(link.address());
            }
        }
        links.addAll(attached);
        return null;
    }

    /**
     * Waits up to {@code timeoutMillis} (less when the ring fills past a quarter: the programs commit records without
     * waking the agent otherwise), then hands every waiting record to {@code consumer} on the calling thread. The
     * buffer is only valid during the call.
     */
    public void poll(int timeoutMillis, Consumer<ByteBuffer> consumer) {
        if (ring.equals(MemorySegment.NULL)) {
            MemorySegment map = Libbpf.findMap(object, arena.allocateFrom("records"));
            MemorySegment callback = Libbpf.upcall(Libbpf.sampleHandle(java.lang.invoke.MethodHandles.lookup(), this, "onSample"), Libbpf.SAMPLE_FN, arena);
            Libbpf.Pointer created = Libbpf.newRingBuffer(Libbpf.mapFd(map), callback);
            if (created.isNull()) {
                throw new BpfException("the ring buffer cannot be opened: " + Errno.describe(created.errno()));
            }
            ring = created.address();
        }
        sink = consumer;
        int polled = Libbpf.poll(ring, timeoutMillis);
        if (polled == 0 || polled == -Errno.EINTR) {
            polled = Libbpf.consume(ring); // the timeout passed: collect what was committed without a wake-up
        }
        if (polled < 0 && -polled != Errno.EINTR) {
            throw new BpfException("polling the ring buffer failed: " + Errno.describe(-polled));
        }
    }

    /**
     * Tells the programs that the library file {@code device}:{@code inode} (as a {@code LibraryOpen} record named
     * it) is attached, so opening it again is not reported; returns why that failed, or {@code null}.
     */
    public synchronized String knownLibrary(int device, long inode) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment map = Libbpf.findMap(object, scratch.allocateFrom("known_libraries"));
            MemorySegment key = scratch.allocate(16);
            key.set(ValueLayout.JAVA_LONG, 0, inode);
            key.set(ValueLayout.JAVA_INT, 8, device);
            MemorySegment value = scratch.allocate(ValueLayout.JAVA_BYTE);
            value.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
            Libbpf.Result set = Libbpf.mapUpdate(map, key, value);
            return set.value() == 0 ? null : "known_libraries: " + Errno.describe(-set.value());
        }
    }

    /** Records the programs could not write because the ring buffer was full, since the object was loaded. */
    public synchronized long lostRecords() {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment map = Libbpf.findMap(object, scratch.allocateFrom("dropped"));
            MemorySegment key = scratch.allocate(ValueLayout.JAVA_INT);
            MemorySegment value = scratch.allocate(ValueLayout.JAVA_LONG);
            return map.equals(MemorySegment.NULL) || Libbpf.mapLookup(map, key, value).value() != 0
                    ? 0 : value.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    @SuppressWarnings("unused") // called from native code through the upcall stub
    private int onSample(MemorySegment context, MemorySegment data, long size) {
        try {
            sink.accept(data.asSlice(0, size).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN));
        } catch (Throwable e) {
            // An exception must not unwind into libbpf; the record is dropped and the agent goes on.
            System.err.println("agent-lite: a kernel record could not be handled: " + e);
        }
        return 0;
    }

    private MemorySegment program(String name) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment program = Libbpf.findProgram(object, scratch.allocateFrom(name));
            if (program.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("agent.bpf.o has no program " + name);
            }
            return program;
        }
    }

    @Override
    public synchronized void close() {
        links.forEach(Libbpf::destroyLink);
        links.clear();
        if (!ring.equals(MemorySegment.NULL)) {
            Libbpf.freeRingBuffer(ring);
            ring = MemorySegment.NULL;
        }
        Libbpf.close(object);
    }
}
