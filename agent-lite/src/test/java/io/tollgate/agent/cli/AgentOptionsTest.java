package io.tollgate.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {
    @Test
    void readsEveryOptionInBothSpellings() throws Exception {
        AgentOptions o = AgentOptions.parse(List.of("--gateway", "http://10.10.0.1:9901/", "--token-file=/etc/t",
                "--ca-file", "/etc/ca.pem", "--net-namespace=/run/netns/runner", "--batch-interval", "250"), Map.of());
        assertThat(o).isEqualTo(new AgentOptions(URI.create("http://10.10.0.1:9901"), null, Path.of("/etc/t"),
                Path.of("/etc/ca.pem"), Path.of("/run/netns/runner"), 250));
    }

    @Test
    void defaultsComeFromTheEnvironmentAndTheAgentsOwnNamespace() throws Exception {
        AgentOptions o = AgentOptions.parse(List.of(),
                Map.of("TOLLGATE_GATEWAY", "https://gw:9901", "TOLLGATE_AGENT_TOKEN", " secret\n"));
        assertThat(o.gateway()).isEqualTo(URI.create("https://gw:9901"));
        assertThat(o.token()).isEqualTo("secret");
        assertThat(o.netns()).isEqualTo(Path.of("/proc/self/ns/net"));
        assertThat(o.batchMillis()).isEqualTo(100);
        assertThat(AgentOptions.parse(List.of("--net-namespace", "all"), Map.of("TOLLGATE_GATEWAY", "http://gw",
                "TOLLGATE_AGENT_TOKEN", "t")).netns()).isNull();
    }

    @Test
    void aDualStackRunnerGivesTwoGateways() throws Exception {
        Map<String, String> env = Map.of("TOLLGATE_AGENT_TOKEN", "t");
        AgentOptions repeated = AgentOptions.parse(List.of("--gateway", "http://10.10.0.1:9901", "--gateway",
                "http://[fd10::1]:9901/"), env);
        assertThat(repeated.gateway()).isEqualTo(URI.create("http://10.10.0.1:9901"));
        assertThat(repeated.otherGateway()).isEqualTo(URI.create("http://[fd10::1]:9901"));
        assertThat(AgentOptions.parse(List.of(), Map.of("TOLLGATE_AGENT_TOKEN", "t", "TOLLGATE_GATEWAY",
                "http://10.10.0.1:9901,http://[fd10::1]:9901"))).isEqualTo(repeated);
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--gateway", "http://a,http://b,http://c"), env))
                .hasMessageContaining("one URL, or two on a dual-stack runner");
    }

    @Test
    void badCommandLinesSayWhatToChange() {
        Map<String, String> env = Map.of("TOLLGATE_AGENT_TOKEN", "t");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--gateway"), env)).hasMessage("--gateway needs a value");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--gateway", "http://gw", "--verbose", "x"), env))
                .hasMessage("unknown option '--verbose'");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--gateway", "http://gw", "extra"), env))
                .hasMessageContaining("unexpected argument 'extra'");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--gateway", "gw:9901"), env))
                .hasMessageContaining("is not an http(s) URL");
        assertThatThrownBy(() -> AgentOptions.parse(List.of(), env)).hasMessageContaining("no gateway");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--gateway", "http://gw"), Map.of()))
                .hasMessageContaining("no agent token");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--gateway", "http://gw", "--batch-interval", "5"), env))
                .hasMessage("--batch-interval must be 10..60000 ms, got 5");
        assertThatThrownBy(() -> AgentOptions.parse(List.of("--gateway", "http://gw", "--batch-interval=x"), env))
                .hasMessageContaining("must be a number");
    }
}
