package io.tollgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import io.tollgate.policy.endpoint.EndpointSets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyTableTest {
    private final PolicyCompiler compiler = new PolicyCompiler(EndpointSets.defaults());

    private CompiledPolicy policy(String name, String... sources) throws PolicyException {
        return compiler.compile(new PolicySpec(name, List.of(sources), "block", "github.com", List.of()));
    }

    @Test
    void sourceGetsThePolicyWithTheLongestMatchingPrefix() throws PolicyException {
        PolicyTable table = PolicyTable.of(List.of(
                policy("fleet-default", "10.10.0.0/16", "2001:db8::/32"),
                policy("release-runners", "10.10.5.0/24"),
                policy("one-runner", "10.10.5.7/32", "2001:db8:1::/48")));
        assertThat(table.forSource(InetAddresses.forString("10.10.1.1"))).map(CompiledPolicy::name)
                .contains("fleet-default");
        assertThat(table.forSource(InetAddresses.forString("10.10.5.1"))).map(CompiledPolicy::name)
                .contains("release-runners");
        assertThat(table.forSource(InetAddresses.forString("10.10.5.7"))).map(CompiledPolicy::name)
                .contains("one-runner");
        assertThat(table.forSource(InetAddresses.forString("2001:db8:1::9"))).map(CompiledPolicy::name)
                .contains("one-runner");
        assertThat(table.forSource(InetAddresses.forString("2001:db8:2::9"))).map(CompiledPolicy::name)
                .contains("fleet-default");
        assertThat(table.forSource(InetAddresses.forString("192.168.0.1"))).isEmpty();
        assertThat(table.policies()).hasSize(3);
    }

    @Test
    void rejectsTheSameSourceNetworkInTwoPolicies() throws PolicyException {
        CompiledPolicy a = policy("a", "10.10.0.0/16");
        CompiledPolicy b = policy("b", "10.20.0.0/16", "10.10.0.0/16");
        assertThatThrownBy(() -> PolicyTable.of(List.of(a, b))).hasMessage(
                "policy 'b' sources: '10.10.0.0/16': already the source of policy 'a'; give each network to one policy");
    }

    @Test
    void rejectsDuplicatePolicyNames() throws PolicyException {
        CompiledPolicy a = policy("a", "10.10.0.0/16");
        CompiledPolicy again = policy("a", "10.20.0.0/16");
        assertThatThrownBy(() -> PolicyTable.of(List.of(a, again))).hasMessageContaining("'a' is used by two policies");
    }
}
