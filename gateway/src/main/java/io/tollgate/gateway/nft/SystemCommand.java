package io.tollgate.gateway.nft;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs one system tool (nft, ip) with an optional script on stdin and a time limit. */
record SystemCommand(List<String> argv) {
    record Result(int exitCode, String output) {}

    static SystemCommand of(String... argv) {
        return new SystemCommand(List.of(argv));
    }

    Result run(String stdin) throws NetworkSetupException {
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new NetworkSetupException("cannot run '" + argv.getFirst() + "': " + e.getMessage()
                    + "; install it (apt-get install nftables iproute2) or set gateway.nftables: off and install the"
                    + " ruleset yourself (tollgate gateway ruleset prints it)");
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the tool exited early; its output says why
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new NetworkSetupException("'" + String.join(" ", argv) + "' did not finish within 20 s");
            }
            return new Result(process.exitValue(), output.get(5, TimeUnit.SECONDS).strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetworkSetupException("interrupted while running '" + String.join(" ", argv) + "'");
        } catch (Exception e) {
            throw new NetworkSetupException("cannot read the output of '" + String.join(" ", argv) + "': " + e);
        }
    }

    Result runOrThrow(String stdin, String purpose) throws NetworkSetupException {
        Result r = run(stdin);
        if (r.exitCode() != 0) {
            throw new NetworkSetupException("cannot " + purpose + ": '" + String.join(" ", argv) + "' exited with "
                    + r.exitCode() + ": " + r.output());
        }
        return r;
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
