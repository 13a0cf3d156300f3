package io.tollgate.agent;

import io.tollgate.agent.bpf.BpfException;
import io.tollgate.agent.bpf.KernelProbes;
import io.tollgate.agent.bpf.KernelRecord;
import io.tollgate.agent.bpf.TlsLibraries;
import io.tollgate.agent.bpf.Tracefs;
import io.tollgate.agent.process.ProcessInfo;
import io.tollgate.agent.process.ProcessTable;
import io.tollgate.agent.report.AttributionSink;
import io.tollgate.agent.report.ConnectionAttribution;
import io.tollgate.agent.report.HttpsRequest;
import io.tollgate.agent.report.ProcessRef;
import io.tollgate.agent.tls.TlsSessions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * agent-lite: loads the BPF programs, keeps the process table, and turns connect and TLS-write records into
 * attributions for {@link AttributionSink}. One thread polls the ring buffer and does all the work, so none of the
 * state needs locking. Features the kernel or the privileges do not allow are reported at start and left off; the
 * rest keeps running.
 */
public final class Agent implements AutoCloseable {
    private static final String OBJECT = "/io/tollgate/agent/agent.bpf.o";
    /**
     * How often the ring buffer is collected (sooner when it fills past a quarter). Records wait at most this long
     * before the reporter's batch, well inside the gateway's attribution wait (250 ms by default).
     */
    private static final int POLL_MILLIS = 50;
    private static final long LOSS_CHECK_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long TLS_SOCKET_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** The agent's own connections (to the gateway) are not attributed. */
    private static final long SELF = ProcessHandle.current().pid();

    private final KernelProbes probes;
    private final AttributionSink sink;
    private final ProcessTable processes;
    private final TlsLibraries libraries;
    private final TlsSessions tls = new TlsSessions(TLS_SOCKET_WAIT_NANOS);
    private final List<String> problems;
    /** Without the openat watch, a connecting process's maps are the only way to find TLS libraries loaded later. */
    private final boolean scanMapsOnConnect;
    private final Thread poller;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong libraryOpens = new AtomicLong();
    private final Consumer<String> log;
    /** Null: the JVM's own heap sizing (tests, a JVM the agent shares). */
    private final HeapBound heap;
    private long lostReported;
    private volatile long lostAtClose = -1;
    private volatile boolean running = true;

    private Agent(KernelProbes probes, AttributionSink sink, ProcessTable processes, TlsLibraries libraries,
            List<String> problems, boolean scanMapsOnConnect, Consumer<String> log, HeapBound heap) {
        this.log = log;
        this.heap = heap;
        this.scanMapsOnConnect = scanMapsOnConnect;
        this.probes = probes;
        this.sink = sink;
        this.processes = processes;
        this.libraries = libraries;
        this.problems = List.copyOf(problems);
        this.poller = Thread.ofPlatform().name("agent-lite-poller").daemon().unstarted(this::pollLoop);
    }

    /**
     * Starts watching the network namespace {@code netns} (a {@code /proc/PID/ns/net} or {@code /run/netns/NAME}
     * path; {@code null} watches every namespace). {@code log} receives one line per feature that is off and why.
     *
     * @throws BpfException when nothing can run at all (no BPF, not root)
     */
    public static Agent start(Path netns, AttributionSink sink, Consumer<String> log) {
        return start(netns, sink, log, null);
    }

    /** As {@link #start(Path, AttributionSink, Consumer)}, keeping the heap within {@code heap} (null: no bound). */
    public static Agent start(Path netns, AttributionSink sink, Consumer<String> log, HeapBound heap) {
        long inode = netns == null ? 0 : inode(netns);
        KernelProbes probes = KernelProbes.load(readObject(), inode);
        List<String> problems = new ArrayList<>();
        String tracefs = Tracefs.ensureMounted();
        if (tracefs != null) {
            problems.add(tracefs);
        }
        boolean librariesWatched = true;
        for (KernelProbes.Feature feature : List.of(KernelProbes.PROCESSES, KernelProbes.CONNECTS,
                KernelProbes.TLS_SOCKETS, KernelProbes.LIBRARIES, KernelProbes.UDP_SENDS)) {
            String problem = probes.attach(feature);
            if (problem != null) {
                problems.add(problem + "; this part is off");
                librariesWatched &= feature != KernelProbes.LIBRARIES;
            }
        }
        problems.forEach(log);
        Path proc = Path.of("/proc");
        ProcessTable processes = new ProcessTable(proc);
        processes.scan(inode);
        TlsLibraries libraries = new TlsLibraries(probes, proc, line -> {
            if (line.startsWith("TLS capture is off")) {
                problems.add(line);
            }
            log.accept(line);
        });
        libraries.attachSystem();
        Agent agent = new Agent(probes, sink, processes, libraries, problems, !librariesWatched, log, heap);
        agent.poller.start();
        return agent;
    }

    /** What is off and why (empty when everything runs). */
    public List<String> problems() {
        return problems;
    }

    public long connectionsSeen() {
        return connections.get();
    }

    public long requestsSeen() {
        return requests.get();
    }

    /**
     * Opens of TLS library files the kernel side reported. An attached library's later opens are filtered in the
     * kernel, so this grows with new library files, not with processes.
     */
    public long libraryOpensSeen() {
        return libraryOpens.get();
    }

    /** Kernel records lost so far because the ring buffer was full (the agent fell behind). */
    public long recordsLost() {
        long atClose = lostAtClose;
        return atClose >= 0 ? atClose : probes.lostRecords();
    }

    private void pollLoop() {
        Consumer<ByteBuffer> onRecord = buffer -> handle(KernelRecord.decode(buffer));
        long nextLossCheck = System.nanoTime() + LOSS_CHECK_NANOS;
        try {
            while (running) {
                probes.poll(POLL_MILLIS, onRecord);
                long now = System.nanoTime();
                tls.expired(now).forEach(this::report);
                if (heap != null) {
                    heap.check(now);
                }
                if (now - nextLossCheck >= 0) {
                    nextLossCheck = now + LOSS_CHECK_NANOS;
                    reportLoss();
                }
            }
        } catch (BpfException e) {
            System.err.println("agent-lite: stopped: " + e.getMessage());
        } finally {
            stopped.countDown();
        }
    }

    private void reportLoss() {
        long lost = probes.lostRecords();
        if (lost > lostReported) {
            log.accept((lost - lostReported) + " kernel records lost in the last 10 s because the ring buffer was"
                    + " full (the agent fell behind; those connections and requests are not reported, a UDP flow is"
                    + " tried again with its next datagram); " + lost + " since start");
            lostReported = lost;
        }
    }

    private void handle(KernelRecord record) {
        switch (record) {
            case null -> { }
            case KernelRecord.Connect c when c.pid() == SELF -> { }
            case KernelRecord.Connect c -> {
                connections.incrementAndGet();
                sink.connection(new ConnectionAttribution(c.tuple(), process(c.pid(), c.ppid())));
                if (scanMapsOnConnect) {
                    libraries.scan(c.pid());
                }
            }
            case KernelRecord.UdpSend u when u.pid() == SELF -> { }
            case KernelRecord.UdpSend u -> {
                connections.incrementAndGet();
                sink.connection(new ConnectionAttribution(u.tuple(), process(u.pid(), u.ppid())));
            }
            case KernelRecord.TlsWrite w -> tls.write(w, System.nanoTime()).forEach(this::report);
            case KernelRecord.TlsSocket s -> tls.socket(s).forEach(this::report);
            case KernelRecord.H2Frame f -> tls.h2Frame(f, System.nanoTime()).forEach(this::report);
            case KernelRecord.LibraryOpen l -> {
                libraryOpens.incrementAndGet();
                if (libraries.opened(l.pid(), l.path())) {
                    String problem = probes.knownLibrary(l.device(), l.inode());
                    if (problem != null) {
                        log.accept("every open of " + l.path() + " will be reported again (" + problem + ")");
                    }
                }
            }
            case KernelRecord.Exit x -> {
                tls.exited(x.pid()).forEach(this::report);
                processes.apply(x);
            }
            default -> processes.apply(record);
        }
    }

    /** Once every 10 s at most: how many UDP flows went unreported because the ring buffer was full. */

    private void report(TlsSessions.Found found) {
        requests.incrementAndGet();
        sink.https(new HttpsRequest(found.tuple(), process(found.pid(), 0), found.head().method(),
                found.head().host(), found.head().path()));
    }

    private ProcessRef process(int pid, int ppid) {
        return processes.find(pid)
                .map(p -> ref(p, processes.step(pid).orElse(null)))
                .orElse(new ProcessRef(pid, ppid, null, null, null));
    }

    private static ProcessRef ref(ProcessInfo p, String step) {
        return new ProcessRef(p.pid(), p.ppid(), p.exe(), p.args(), step);
    }

    private static long inode(Path netns) {
        try {
            return ((Number) Files.getAttribute(netns, "unix:ino")).longValue();
        } catch (IOException e) {
            throw new BpfException("the network namespace " + netns + " cannot be read (" + e.getMessage()
                    + "); pass an existing /run/netns/NAME or /proc/PID/ns/net");
        }
    }

    private static byte[] readObject() {
        try (InputStream in = Agent.class.getResourceAsStream(OBJECT)) {
            if (in == null) {
                throw new BpfException("agent.bpf.o is missing from the agent's jar; rebuild it with ./dev build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BpfException("agent.bpf.o cannot be read from the jar: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            stopped.await(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lostAtClose = probes.lostRecords();
        probes.close();
    }
}
