package io.tollgate.agent.process;

import io.tollgate.agent.bpf.KernelRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The processes of the watched namespace, kept from exec/fork/exit records (and {@code /proc} for processes that
 * started before the agent). Exited processes stay a short while so a connection reported just before its process
 * exited, or a grandchild whose parent already exited, can still be explained. Used by the agent's one polling thread.
 */
public final class ProcessTable {
    /** The job step is the child of this process (the GitHub Actions runner's worker). */
    public static final String RUNNER_WORKER = "Runner.Worker";
    private static final int MAX_LIVE = 65_536;
    private static final int MAX_EXITED = 4_096;
    private static final int MAX_DEPTH = 64;
    private static final int STEP_TEXT_LIMIT = 256;

    /** Distinct executables and argument lists kept for sharing (see {@link #shared}). */
    private static final int MAX_SHARED = 512;

    private final Path proc;
    private final Map<Integer, ProcessInfo> live = new HashMap<>();
    private final Map<String, String> exes = lru();
    private final Map<List<String>, List<String>> argvs = lru();
    private final LinkedHashMap<Integer, ProcessInfo> exited = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, ProcessInfo> eldest) {
            return size() > MAX_EXITED;
        }
    };

    public ProcessTable(Path proc) {
        this.proc = proc;
    }

    public void apply(KernelRecord record) {
        switch (record) {
            case KernelRecord.Exec e -> put(new ProcessInfo(e.pid(), e.ppid(), e.filename(), e.args(),
                    e.startNanos(), e.cgroupId()));
            case KernelRecord.Fork f -> {
                ProcessInfo parent = find(f.ppid()).orElse(new ProcessInfo(f.ppid(), 0, "", List.of(), 0, 0));
                put(parent.forkedAs(f.pid(), f.startNanos()));
            }
            case KernelRecord.Exit x -> {
                ProcessInfo gone = live.remove(x.pid());
                if (gone != null) {
                    exited.put(x.pid(), gone);
                }
            }
            default -> { }
        }
    }

    private void put(ProcessInfo info) {
        exited.remove(info.pid());
        if (live.size() >= MAX_LIVE && !live.containsKey(info.pid())) {
            return; // bounded: a fork bomb must not grow the agent without limit
        }
        live.put(info.pid(), shared(info));
    }

    /**
     * The same process with its executable and argv shared with earlier processes that had equal ones: a build runs
     * the same commands thousands of times, and the exited processes kept for late connections otherwise held a copy
     * each (about 2 MiB of the agent's small heap at 100 processes a second).
     */
    private ProcessInfo shared(ProcessInfo info) {
        String exe = exes.computeIfAbsent(info.exe(), e -> e);
        List<String> args = argvs.computeIfAbsent(info.args(), a -> a);
        return exe == info.exe() && args == info.args() ? info
                : new ProcessInfo(info.pid(), info.ppid(), exe, args, info.startNanos(), info.cgroupId());
    }

    private static <K> Map<K, K> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, K> eldest) {
                return size() > MAX_SHARED;
            }
        };
    }

    public int size() {
        return live.size();
    }

    /** The process, from the table or else from {@code /proc} (then remembered). */
    public Optional<ProcessInfo> find(int pid) {
        ProcessInfo known = live.get(pid);
        if (known == null) {
            known = exited.get(pid);
        }
        if (known == null) {
            known = fromProc(pid);
            if (known != null) {
                put(known);
            }
        }
        return Optional.ofNullable(known);
    }

    /**
     * The job step {@code pid} belongs to: the command line of its ancestor whose parent is {@link #RUNNER_WORKER}
     * (the executable's name, or argv[0] as {@code exec -a} sets it); empty outside a job.
     */
    public Optional<String> step(int pid) {
        Optional<ProcessInfo> current = find(pid);
        for (int depth = 0; depth < MAX_DEPTH && current.isPresent(); depth++) {
            ProcessInfo p = current.get();
            if (p.ppid() <= 0 || p.ppid() == p.pid()) {
                return Optional.empty();
            }
            Optional<ProcessInfo> parent = find(p.ppid());
            if (parent.isPresent() && parent.get().named(RUNNER_WORKER)) {
                return Optional.of(describe(p));
            }
            current = parent;
        }
        return Optional.empty();
    }

    private static String describe(ProcessInfo p) {
        String text = p.args().isEmpty() ? p.exe() : String.join(" ", p.args());
        return text.length() <= STEP_TEXT_LIMIT ? text : text.substring(0, STEP_TEXT_LIMIT);
    }

    /** Loads every process of {@code netnsInode} (0 = all) from {@code /proc}; returns how many. */
    public int scan(long netnsInode) {
        int loaded = 0;
        try (var dirs = Files.newDirectoryStream(proc)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!isPid(name) || (netnsInode != 0 && netns(dir) != netnsInode)) {
                    continue;
                }
                ProcessInfo info = fromProc(Integer.parseInt(name));
                if (info != null) {
                    put(info);
                    loaded++;
                }
            }
        } catch (IOException e) {
            return loaded;
        }
        return loaded;
    }

    /** Digits only (a loop rather than a stream: streams would be the agent's only reason to load their classes). */
    private static boolean isPid(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return !name.isEmpty();
    }

    private static long netns(Path dir) {
        try {
            return ((Number) Files.getAttribute(dir.resolve("ns/net"), "unix:ino")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    private ProcessInfo fromProc(int pid) {
        Path dir = proc.resolve(Integer.toString(pid));
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
            String[] afterComm = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            int ppid = Integer.parseInt(afterComm[1]);
            String exe;
            try {
                exe = Files.readSymbolicLink(dir.resolve("exe")).toString();
            } catch (IOException e) {
                exe = "";
            }
            byte[] cmdline = Files.readAllBytes(dir.resolve("cmdline"));
            return new ProcessInfo(pid, ppid, exe, split(cmdline), 0, 0);
        } catch (IOException | RuntimeException e) {
            return null; // already gone, or not readable: the connection is reported without a process
        }
    }

    private static List<String> split(byte[] cmdline) {
        List<String> args = new ArrayList<>();
        int start = 0;
        int limit = Math.min(cmdline.length, 511);
        for (int i = 0; i < limit; i++) {
            if (cmdline[i] == 0) {
                args.add(new String(cmdline, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < limit) {
            args.add(new String(cmdline, start, limit - start, StandardCharsets.UTF_8));
        }
        return List.copyOf(args);
    }
}
