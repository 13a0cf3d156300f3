package io.tollgate.agent.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the TLS libraries processes use and attaches the write uprobes to each library file once: the system's at
 * start, then any other copy a process loads later (a different version, a container's or a virtualenv's copy, one
 * loaded with dlopen): when the process opens it (the loader opens a library before mapping it; the process goes on
 * meanwhile, so writes before the attach are missed), and, as a fallback, from {@code /proc/PID/maps} when the
 * process connects.
 */
public final class TlsLibraries {
    /** Only the fallback {@link #scan} needs it: a holder, so the agent loads the regex classes only then. */
    private static final class MapsLine {
        static final Pattern LIBRARY = Pattern.compile("\\s(/\\S*/(libssl\\.so\\.3|libgnutls\\.so\\.30))$");
    }

    private static final List<String[]> OPENSSL =
            List.of(new String[] {"SSL_write", "openssl_write"}, new String[] {"SSL_write_ex", "openssl_write_ex"});
    private static final List<String[]> GNUTLS = List.<String[]>of(new String[] {"gnutls_record_send", "gnutls_record_send"});
    private static final List<Path> SYSTEM = List.of(
            Path.of("/usr/lib/x86_64-linux-gnu/libssl.so.3"), Path.of("/usr/lib/x86_64-linux-gnu/libgnutls.so.30"));
    private static final int MAX_LIBRARIES = 256;

    private final KernelProbes probes;
    private final Path proc;
    private final Consumer<String> report;
    private final Set<Object> attachedFiles = new HashSet<>();

    public TlsLibraries(KernelProbes probes, Path proc, Consumer<String> report) {
        this.probes = probes;
        this.proc = proc;
        this.report = report;
    }

    /** Attaches to the system's libssl and libgnutls (those present). */
    public void attachSystem() {
        for (Path library : SYSTEM) {
            if (Files.exists(library)) {
                attach(library);
            }
        }
    }

    /** Attaches to every TLS library {@code pid} maps that is not attached yet (through its root, for containers). */
    public void scan(int pid) {
        Path maps = proc.resolve(pid + "/maps");
        List<String> lines;
        try {
            lines = Files.readAllLines(maps);
        } catch (IOException | RuntimeException e) {
            return; // gone already
        }
        for (String line : lines) {
            Matcher m = MapsLine.LIBRARY.matcher(line);
            if (m.find()) {
                attach(proc.resolve(pid + "/root" + m.group(1)));
            }
        }
    }

    /**
     * A watched process opened {@code path} (a libssl.so.3 or libgnutls.so.30), seen through its own root, or its
     * working directory for a relative path (a relative {@code LD_LIBRARY_PATH} entry). Returns whether that file is
     * attached now or was tried before, so the kernel side need not report its opens again.
     */
    public boolean opened(int pid, String path) {
        return attach(path.startsWith("/") ? proc.resolve(pid + "/root" + path)
                : proc.resolve(pid + "/cwd").resolve(path));
    }

    /** Whether the file is now attached or was tried before (false: it could not be read, or too many libraries). */
    private boolean attach(Path library) {
        Optional<Object> file = fileKey(library);
        if (file.isEmpty() || attachedFiles.size() >= MAX_LIBRARIES && !attachedFiles.contains(file.get())) {
            return false;
        }
        if (attachedFiles.contains(file.get())) {
            return true;
        }
        attachedFiles.add(file.get());
        boolean gnutls = library.getFileName().toString().startsWith("libgnutls");
        String problem = probes.attachUprobes(library, gnutls ? GNUTLS : OPENSSL);
        report.accept(problem != null ? "TLS capture is off for " + library + ": " + problem
                : "TLS capture on " + library);
        return true;
    }

    private static Optional<Object> fileKey(Path library) {
        try {
            return Optional.ofNullable(Files.readAttributes(library,
                    java.nio.file.attribute.BasicFileAttributes.class).fileKey());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public int attachedCount() {
        return attachedFiles.size();
    }
}
