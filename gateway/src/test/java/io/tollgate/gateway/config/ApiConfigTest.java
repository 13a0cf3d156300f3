package io.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.gateway.config.GatewayConfig.ApiRole;
import io.tollgate.gateway.config.GatewayConfig.ApiToken;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The {@code gateway.api} section: defaults, tokens with roles, TLS files, and errors that say what to fix. */
class ApiConfigTest {
    @Test
    void theApiListensOnLoopbackWithoutTokensOrTlsByDefault() throws Exception {
        GatewayConfig.Api api = ConfigLoader.parse("empty.yaml", "").gateway().api();
        assertThat(api.bind()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(api.tokens()).isEmpty();
        assertThat(api.tls()).isNull();
    }

    @Test
    void readsTheBindAddressTokensAndTlsFiles() throws Exception {
        GatewayConfig.Api api = ConfigLoader.parse("api.yaml", """
                gateway:
                  api:
                    bind: 10.0.0.5
                    tokens:
                      - {name: ops, role: reader, token-file: /etc/tollgate/tokens/ops}
                      - name: hooks
                        role: Registrar
                        token-file: /etc/tollgate/tokens/hooks
                    tls: {cert: /etc/tollgate/api.crt, key: /etc/tollgate/api.key}
                """).gateway().api();
        assertThat(api.bind()).isEqualTo(InetAddress.getByName("10.0.0.5"));
        assertThat(api.tokens()).containsExactly(
                new ApiToken("ops", ApiRole.READER, Path.of("/etc/tollgate/tokens/ops")),
                new ApiToken("hooks", ApiRole.REGISTRAR, Path.of("/etc/tollgate/tokens/hooks")));
        assertThat(api.tls().cert()).isEqualTo(Path.of("/etc/tollgate/api.crt"));
        assertThat(api.tls().key()).isEqualTo(Path.of("/etc/tollgate/api.key"));
    }

    @Test
    void anUnknownKeyInTheApiSectionNamesItsLine() {
        assertThatThrownBy(() -> ConfigLoader.parse("api.yaml", """
                gateway:
                  api:
                    tokens:
                      - {name: ops, role: reader, token: hunter2}
                """)).hasMessageContaining("api.yaml line 4: unknown key 'token'")
                .hasMessageContaining("token-file");
    }

    @Test
    void aBindAddressMustBeAnIpAddress() {
        assertThatThrownBy(() -> ConfigLoader.parse("api.yaml", "gateway: {api: {bind: localhost}}"))
                .hasMessageContaining("gateway.api.bind: 'localhost' is not an IP address");
    }

    @Test
    void aTokenNeedsANameAKnownRoleAndATokenFile() {
        assertThatThrownBy(() -> parseToken("{role: reader, token-file: /t}"))
                .hasMessageContaining("gateway.api.tokens[0]: name is missing");
        assertThatThrownBy(() -> parseToken("{name: ops, token-file: /t}"))
                .hasMessageContaining("gateway.api.tokens[0] (ops): role is missing");
        assertThatThrownBy(() -> parseToken("{name: ops, role: writer, token-file: /t}"))
                .hasMessageContaining("gateway.api.tokens[0].role: 'writer' is not one of admin | registrar | reader");
        assertThatThrownBy(() -> parseToken("{name: ops, role: reader}"))
                .hasMessageContaining("gateway.api.tokens[0] (ops): token-file is missing");
    }

    @Test
    void tokenNamesAreUnique() {
        assertThatThrownBy(() -> ConfigLoader.parse("api.yaml", """
                gateway:
                  api:
                    tokens:
                      - {name: ops, role: reader, token-file: /a}
                      - {name: ops, role: admin, token-file: /b}
                """)).hasMessageContaining("gateway.api.tokens[1]: the name 'ops' is used twice");
    }

    @Test
    void tlsNeedsBothCertAndKey() {
        assertThatThrownBy(() -> ConfigLoader.parse("api.yaml", "gateway: {api: {tls: {cert: /etc/api.crt}}}"))
                .hasMessageContaining("gateway.api.tls needs both cert and key");
    }

    @Test
    void runnersReachTheApiOnlyOnListedRunnerFacingAddressesNeverAWildcard() throws Exception {
        assertThat(ConfigLoader.parse("empty.yaml", "").gateway().api().runnerBind()).isEmpty();
        assertThat(ConfigLoader.parse("api.yaml", "gateway: {api: {runner-bind: [10.10.0.1, 'fd10::1']}}")
                .gateway().api().runnerBind())
                .containsExactly(InetAddress.getByName("10.10.0.1"), InetAddress.getByName("fd10::1"));
        assertThatThrownBy(() -> ConfigLoader.parse("api.yaml", "gateway: {api: {runner-bind: [0.0.0.0]}}"))
                .hasMessageContaining("gateway.api.runner-bind: 0.0.0.0 would open the API on every address");
        assertThatThrownBy(() -> ConfigLoader.parse("api.yaml", "gateway: {api: {runner-bind: [gw.local]}}"))
                .hasMessageContaining("gateway.api.runner-bind: 'gw.local' is not an IP address");
        assertThatThrownBy(() -> ConfigLoader.parse("api.yaml", "gateway: {api: {runner-bind: [127.0.0.1]}}"))
                .hasMessageContaining("is listed twice (or is gateway.api.bind)");
    }

    @Test
    void theClusterMemberBindsToLoopbackByDefaultAndNeverWhereRunnersRegister() throws Exception {
        GatewayConfig defaults = ConfigLoader.parse("empty.yaml", "");
        assertThat(defaults.cluster().bind()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(defaults.cluster().port()).isEqualTo(5701);
        assertThat(defaults.gateway().jobMaxDuration()).hasHours(6);
        assertThat(ConfigLoader.parse("c.yaml", "cluster: {bind: 10.0.0.5, port: 5801}\ngateway: {jobs: {max-duration: 2h}}")
                .cluster()).isEqualTo(new GatewayConfig.Cluster(InetAddress.getByName("10.0.0.5"), 5801, List.of(), 1, null,
                        Duration.ofMillis(250)));
        assertThatThrownBy(() -> ConfigLoader.parse("c.yaml", "cluster: {bind: '::'}"))
                .hasMessageContaining("cluster.bind: '::' is not a specific IP address");
        assertThatThrownBy(() -> ConfigLoader.parse("c.yaml",
                "gateway: {api: {runner-bind: [10.10.0.1]}}\ncluster: {bind: 10.10.0.1}"))
                .hasMessageContaining("cluster.bind: 10.10.0.1 is also in gateway.api.runner-bind");
    }

    private static GatewayConfig parseToken(String token) throws ConfigException {
        return ConfigLoader.parse("api.yaml", "gateway: {api: {tokens: [" + token + "]}}");
    }
}
