package io.tollgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tollgate.testbed.CommandResult;
import io.tollgate.testbed.RootCheck;
import io.tollgate.testbed.TestOidcIssuer;
import io.tollgate.testbed.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * With {@code gateway.jobs.oidc} a runner registers its job only with a GitHub OIDC token of that very run, so a
 * build cannot register itself as another repository to get that repository's policy.
 */
@Tag("netns")
class JobOidcTest {
    private static final String GATEWAY_API = "http://" + Topology.GATEWAY_RUNNER_IP + ":9901";
    private static final Map<String, String> GITHUB_ENV = Map.of("GITHUB_REPOSITORY", "acme/widgets",
            "GITHUB_WORKFLOW", "CI", "GITHUB_JOB", "build", "GITHUB_RUN_ID", "900", "GITHUB_RUN_ATTEMPT", "1",
            "RUNNER_NAME", "runner-1");
    private static final TestOidcIssuer GITHUB = TestOidcIssuer.create("e2e-key");
    private static GatewayFixture fx;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RootCheck.isRoot(), RootCheck.skipReason());
        fx = GatewayFixture.create(Map.of("github.com", "198.51.100.10"));
        Path jwks = Files.writeString(fx.dir.resolve("jwks.json"), GITHUB.jwks());
        fx.startGateway(fx.apiWithTokens("registrar") + """
                jobs:
                  oidc: {audience: tollgate, jwks-file: %s}
                """.formatted(jwks), """
                policies:
                  - name: ci
                    sources: [10.10.0.0/24]
                    allowed-endpoints: github.com:443
                """);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fx != null) {
            fx.close();
        }
    }

    private static CommandResult register(String token, String stateFile) throws Exception {
        Map<String, String> env = new HashMap<>(GITHUB_ENV);
        if (token != null) {
            env.put("TOLLGATE_ID_TOKEN_FILE", Files.writeString(fx.dir.resolve(stateFile + ".jwt"), token).toString());
        }
        return fx.runnerTollgate(env, "job", "start", "--gateway", GATEWAY_API, "--token-file",
                fx.tokenFile("registrar").toString(), "--state-file", fx.dir.resolve(stateFile).toString());
    }

    private static String token(String repository) {
        Map<String, Object> claims = new HashMap<>();
        claims.put("iss", TestOidcIssuer.GITHUB_ISSUER);
        claims.put("aud", "tollgate");
        claims.put("repository", repository);
        claims.put("workflow", "CI");
        claims.put("run_id", "900");
        claims.put("run_attempt", "1");
        claims.put("exp", Instant.now().plusSeconds(600).getEpochSecond());
        return GITHUB.token(claims);
    }

    @Test
    void onlyTheRunsOwnTokenRegistersTheJob() throws Exception {
        CommandResult none = register(null, "none.json");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.stderr()).contains("HTTP 403").contains("only with its GitHub OIDC token")
                .doesNotContain("Exception");

        CommandResult other = register(token("acme/secrets"), "other.json");
        assertThat(other.exitCode()).isEqualTo(1);
        assertThat(other.stderr()).contains("HTTP 403").contains("for repository 'acme/secrets', not acme/widgets");

        CommandResult forged = register(TestOidcIssuer.create("e2e-key").token(Map.of("repository", "acme/widgets")),
                "forged.json");
        assertThat(forged.stderr()).contains("HTTP 403").contains("signature does not verify");

        CommandResult own = register(token("acme/widgets"), "own.json");
        assertThat(own.exitCode()).as(own.stderr()).isZero();
        assertThat(own.stdout()).contains("registered for " + Topology.RUNNER_IP);
        assertThat(fx.gatewayLog()).contains("refused (token 'runners'): the id_token is for repository 'acme/secrets'");
    }
}
