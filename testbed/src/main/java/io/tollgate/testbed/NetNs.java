package io.tollgate.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named network namespace ({@code ip netns add}) with its loopback up. Commands and long-running processes run
 * inside it through {@code ip netns exec}; Java code runs inside it through {@link #call}. {@link #close()} kills
 * everything started in it and deletes it; a JVM shutdown hook closes namespaces a test forgot.
 */
public final class NetNs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetNs.class);
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<NetNs> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(NetNs::close), "testbed-netns-cleanup"));
    }

    private final String name;
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private NetNs(String name) {
        this.name = name;
    }

    /** Creates {@code <prefix>-<6 random chars>} and brings its loopback up. */
    public static NetNs create(String prefix) {
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("namespace prefix must be lowercase letters, digits and '-': " + prefix);
        }
        NetNs ns = new NetNs(prefix + "-" + randomId());
        Command.run(SETUP_TIMEOUT, List.of("ip", "netns", "add", ns.name)).orThrow();
        OPEN.add(ns);
        try {
            ns.execOrThrow(SETUP_TIMEOUT, "ip", "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** Six lowercase letters and digits, for names that must be unique per run (interface names allow 15 chars). */
    static String randomId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var id = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    public String name() {
        return name;
    }

    /** Runs {@code ip netns exec <name> argv...}; stdin is /dev/null; the process tree is killed after {@code timeout}. */
    public CommandResult exec(Duration timeout, String... argv) {
        return Command.run(timeout, inside(List.of(argv)));
    }

    /** Like {@link #exec} but throws a {@link TestbedException} naming the command, exit code and stderr on failure. */
    public CommandResult execOrThrow(Duration timeout, String... argv) {
        return exec(timeout, argv).orThrow();
    }

    /** Starts a long-running process inside the namespace, appending stdout and stderr to {@code logFile}. */
    public Process start(List<String> argv, Path logFile) {
        try {
            Process process = new ProcessBuilder(inside(argv))
                    .redirectInput(Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logFile.toFile()))
                    .start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new TestbedException("cannot start " + String.join(" ", inside(argv)) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code task} on a fresh platform thread that entered this namespace with setns(2), and waits for it.
     * Sockets the task creates belong to this namespace (also after the task returns, e.g. a bound server channel);
     * threads it starts inherit the namespace. Name resolution inside the task still reads the root /etc files.
     * Unchecked exceptions propagate as they are; checked ones are wrapped in a {@link TestbedException}.
     */
    public <T> T call(Callable<T> task) {
        var result = new CompletableFuture<T>();
        Path nsFile = Path.of("/run/netns", name);
        Thread.ofPlatform().name("netns-" + name).daemon(true).start(() -> {
            try {
                LibcSetns.enterNetworkNamespace(nsFile);
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestbedException("interrupted while waiting for a task in netns " + name, e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException unchecked -> throw unchecked;
                case Error error -> throw error;
                case Throwable checked -> throw new TestbedException("task in netns " + name + " failed: " + checked, checked);
            }
        }
    }

    /**
     * Writes {@code /etc/netns/<name>/<fileName>}; {@code ip netns exec} bind-mounts it over {@code /etc/<fileName>}
     * for commands started afterwards (hosts, resolv.conf, ...).
     */
    public void writeEtcFile(String fileName, String content) {
        try {
            Path dir = Files.createDirectories(etcDir());
            Files.writeString(dir.resolve(fileName), content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write /etc/netns/" + name + "/" + fileName, e);
        }
    }

    /** Kills tracked processes and anything else running in the namespace, deletes it and its /etc/netns dir. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            processes.forEach(process -> Command.killTree(process.toHandle()));
            killRemainingProcesses();
            CommandResult deleted = Command.run(SETUP_TIMEOUT, List.of("ip", "netns", "delete", name));
            if (!deleted.succeeded()) {
                log.warn("cannot delete netns {}: {}", name, deleted.stderr().strip());
            }
            deleteEtcDir();
        } catch (RuntimeException e) {
            log.warn("cleanup of netns {} failed", name, e);
        } finally {
            OPEN.remove(this);
        }
    }

    private void killRemainingProcesses() {
        CommandResult pids = Command.run(SETUP_TIMEOUT, List.of("ip", "netns", "pids", name));
        pids.stdout().lines()
                .filter(line -> !line.isBlank())
                .map(line -> ProcessHandle.of(Long.parseLong(line.strip())))
                .flatMap(Optional::stream)
                .forEach(Command::killTree);
    }

    private void deleteEtcDir() {
        Path dir = etcDir();
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Directories.deleteTree(dir);
        } catch (IOException e) {
            log.warn("cannot delete {}", dir, e);
        }
    }

    private Path etcDir() {
        return Path.of("/etc/netns", name);
    }

    private List<String> inside(List<String> argv) {
        var command = new ArrayList<>(List.of("ip", "netns", "exec", name));
        command.addAll(argv);
        return command;
    }

    @Override
    public String toString() {
        return "netns " + name;
    }
}
