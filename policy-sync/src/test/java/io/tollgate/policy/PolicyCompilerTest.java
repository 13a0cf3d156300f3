package io.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import io.tollgate.policy.endpoint.EndpointSets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyCompilerTest {
    private final PolicyCompiler compiler = new PolicyCompiler(EndpointSets.defaults());

    private static PolicySpec spec(String endpoints) {
        return new PolicySpec("fleet-default", List.of("10.10.0.0/16"), "block", endpoints, List.of("10.0.0.0/8:5432"));
    }

    @Test
    void compilesTheConfigExample() throws PolicyException {
        CompiledPolicy policy = compiler.compile(spec("github.com:443\n*.actions.githubusercontent.com:443\n"));
        assertThat(policy.name()).isEqualTo("fleet-default");
        assertThat(policy.mode()).isEqualTo(EgressMode.BLOCK);
        assertThat(policy.sources()).containsExactly(Cidr.parse("10.10.0.0/16"));
        assertThat(policy.matcher().allows("pipelines.actions.githubusercontent.com", 443)).isTrue();
        assertThat(policy.matcher().allows(InetAddresses.forString("10.3.4.5"), 5432)).isTrue();
        assertThat(policy.version()).matches("[0-9a-f]{12}");
    }

    @Test
    void readmeExampleCompilesAndMeansWhatItSays() throws PolicyException {
        String endpoints = """
                @github-actions-runner            # the runner's own service endpoints (a named set, see below)
                github.com:443                    # host and port
                registry.npmjs.org                # no port = 443
                *.docker.io:443                   # any depth below docker.io, never docker.io itself
                docker.io                         # ... so list the apex too if it is needed
                productionresultssa*.blob.core.windows.net   # '*' inside one label: any characters, that label only
                *.example.com:443 *.example.com:80           # several entries per line; every port counts
                Bücher.Example.                   # case, trailing dot and Unicode are normalized (xn--bcher-kva.example)
                10.20.0.0/16:5432                 # a network and port ...
                192.0.2.10:22                     # ... a single address (= /32) ...
                10.30.0.0/16:*                    # ... or any port
                [2001:db8::/32]:443               # IPv6 with a port goes in brackets
                """;
        CompiledPolicy policy = compiler.compile(new PolicySpec("fleet-default",
                List.of("10.10.0.0/16", "2001:db8:10::/48"), "block", endpoints,
                List.of("10.0.0.0/8:5432", "192.168.0.0/16", "[2001:db8::/32]:*")));
        var m = policy.matcher();
        assertThat(m.allows("registry-1.docker.io", 443)).isTrue();
        assertThat(m.allows("docker.io", 443)).isTrue();
        assertThat(m.allows("a.b.example.com", 80)).isTrue();
        assertThat(m.allows("bücher.example", 443)).isTrue();
        assertThat(m.allows(InetAddresses.forString("10.30.1.1"), 12345)).isTrue();
        assertThat(m.allows(InetAddresses.forString("192.0.2.10"), 22)).isTrue();
        assertThat(m.allows(InetAddresses.forString("192.168.3.3"), 443)).isTrue();
        assertThat(m.allows(InetAddresses.forString("2001:db8::5"), 9000)).isTrue();
        assertThat(m.allows("evil.example.org", 443)).isFalse();
    }

    @Test
    void versionIgnoresFormattingOrderAndDuplicates() throws PolicyException {
        String a = compiler.compile(spec("github.com:443\n*.actions.githubusercontent.com:443")).version();
        String b = compiler.compile(spec("  *.Actions.GitHubUserContent.com  # runner\nGITHUB.com github.com.:443"))
                .version();
        assertThat(b).isEqualTo(a);
    }

    @Test
    void versionChangesWithContent() throws PolicyException {
        String a = compiler.compile(spec("github.com:443")).version();
        assertThat(compiler.compile(spec("github.com:80")).version()).isNotEqualTo(a);
        PolicySpec audit = new PolicySpec("fleet-default", List.of("10.10.0.0/16"), "audit", "github.com", List.of("10.0.0.0/8:5432"));
        assertThat(compiler.compile(audit).version()).isNotEqualTo(a);
    }

    @Test
    void missingEgressPolicyMeansBlockAndModeIsCaseInsensitive() throws PolicyException {
        assertThat(compiler.compile(new PolicySpec("p", null, null, null, null)).mode()).isEqualTo(EgressMode.BLOCK);
        assertThat(compiler.compile(new PolicySpec("p", null, "AUDIT", null, null)).mode()).isEqualTo(EgressMode.AUDIT);
    }

    @Test
    void rejectsUnknownEgressPolicy() {
        assertThatThrownBy(() -> compiler.compile(new PolicySpec("p", List.of(), "monitor", "", List.of())))
                .hasMessage("policy 'p' egress-policy: 'monitor': expected 'block' or 'audit'");
        assertThatThrownBy(() -> EgressMode.parse("allow")).isInstanceOf(PolicyException.class);
    }

    @Test
    void errorsNameThePolicyFieldAndLine() {
        assertThatThrownBy(() -> compiler.compile(spec("github.com\n*.com:443")))
                .isInstanceOfSatisfying(PolicyException.class, e -> {
                    assertThat(e.source()).isEqualTo("policy 'fleet-default' allowed-endpoints");
                    assertThat(e.line()).isEqualTo(2);
                });
        assertThatThrownBy(() -> compiler.compile(new PolicySpec("p", List.of("10.10.0.1/16"), "block", "", List.of())))
                .hasMessageStartingWith("policy 'p' sources: '10.10.0.1/16': host bits set");
        assertThatThrownBy(() -> compiler.compile(new PolicySpec("p", List.of(), "block", "", List.of("10.0.0.0/8:http"))))
                .hasMessage("policy 'p' allowed-cidrs: '10.0.0.0/8:http': port 'http' is not a number 1..65535");
        assertThatThrownBy(() -> compiler.compile(new PolicySpec(" ", List.of(), "block", "", List.of())))
                .hasMessageContaining("no name");
    }
}
