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
