package io.tollgate.gateway.demo;

import io.tollgate.testbed.RootCheck;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** What the demo needs from the host before it touches anything: root, and the tools the sandbox runs. */
final class Prerequisites {
    private record Tool(String command, String debianPackage) {}

    private static final List<Tool> TOOLS = List.of(
            new Tool("ip", "iproute2"), new Tool("nft", "nftables"), new Tool("curl", "curl"),
            new Tool("dig", "dnsutils"));

    private Prerequisites() {}

    /** Why the demo cannot run on this host, or empty when it can. */
    static Optional<String> problem() {
        return problem(RootCheck.isRoot(), Prerequisites::onPath);
    }

    static Optional<String> problem(boolean root, Predicate<String> installed) {
        if (!root) {
            return Optional.of("tollgate demo needs root to create network namespaces; run it with sudo");
        }
        return TOOLS.stream()
                .filter(tool -> !installed.test(tool.command()))
                .findFirst()
                .map(tool -> "tollgate demo needs the '" + tool.command() + "' command, which is not on the PATH;"
                        + " install it with: apt-get install " + tool.debianPackage());
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
