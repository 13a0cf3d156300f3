package io.tollgate.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    @Test
    void emptyFileGivesEveryDefault() throws ConfigException {
        GatewayConfig c = ConfigLoader.parse("empty.yaml", "");
        assertThat(c.gateway().runnerInterfaces()).containsExactly("eth1");
        assertThat(c.gateway().listen().tcp()).isEqualTo(15001);
        assertThat(c.gateway().listen().api()).isEqualTo(9901);
        assertThat(c.gateway().nftables()).isEqualTo(GatewayConfig.NftablesMode.MANAGE);
        assertThat(c.gateway().events().file()).isEqualTo(Path.of("/var/log/tollgate/events.jsonl"));
        assertThat(c.gateway().peekTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.policies()).isEmpty();
    }

    @Test
    void readsTheDesignExample() throws ConfigException {
        GatewayConfig c = ConfigLoader.parse("design.yaml", """
                gateway:
                  runner-interfaces: [eth1]
                  listen: {tcp: 15001, dns: 15053, quic: 15443, api: 9901}
                  upstream-dns: [10.0.0.2:53]
                  nftables: manage
                  events: {file: /var/log/tollgate/events.jsonl}
                policies:
                  - name: fleet-default
                    sources: [10.10.0.0/16]
                    egress-policy: block
                    allowed-endpoints: |
                      github.com:443
                      *.actions.githubusercontent.com:443
                    allowed-cidrs: [10.0.0.0/8:5432]
                ioc:
                  domains: [evil.invalid]
                  ips: [203.0.113.66/32]
                  feeds: []
                """);
        assertThat(c.policies()).hasSize(1);
        assertThat(c.policies().getFirst().allowedEndpoints()).contains("github.com:443");
        assertThat(c.policies().getFirst().allowedCidrs()).containsExactly("10.0.0.0/8:5432");
        assertThat(c.ioc().ips()).containsExactly("203.0.113.66/32");
        assertThat(c.gateway().upstreamDns()).containsExactly(new InetSocketAddress("10.0.0.2", 53));
    }

    @Test
    void upstreamDnsTakesAddressesWithOrWithoutPorts() throws ConfigException {
        GatewayConfig c = ConfigLoader.parse("dns.yaml",
                "gateway: {upstream-dns: [10.0.0.2, '10.0.0.3:5353', '[2001:db8::53]:54', '2001:db8::55']}");
        assertThat(c.gateway().upstreamDns()).containsExactly(new InetSocketAddress("10.0.0.2", 53),
                new InetSocketAddress("10.0.0.3", 5353), new InetSocketAddress("2001:db8::53", 54),
                new InetSocketAddress("2001:db8::55", 53));
    }

    @Test
    void upstreamDnsMustBeAnAddressNotAName() {
        assertThatThrownBy(() -> ConfigLoader.parse("dns.yaml", "gateway: {upstream-dns: [dns.google]}"))
                .hasMessageContaining("gateway.upstream-dns: 'dns.google' is not an IP address");
        assertThatThrownBy(() -> ConfigLoader.parse("dns.yaml", "gateway: {upstream-dns: ['10.0.0.2:99999']}"))
                .hasMessageContaining("bad port");
    }

    @Test
    void dnsSettingsHaveDefaultsAndAreChecked() throws ConfigException {
        GatewayConfig.Dns dns = ConfigLoader.parse("d.yaml", "").gateway().dns();
        assertThat(dns.bindingGrace()).isEqualTo(Duration.ofMinutes(5));
        assertThat(dns.queriesPerSecond()).isEqualTo(200);
        assertThatThrownBy(() -> ConfigLoader.parse("d.yaml", "gateway: {dns: {min-ttl: 2h, max-ttl: 1h}}"))
                .hasMessageContaining("min-ttl (2h) is longer than gateway.dns.max-ttl (1h)");
        assertThatThrownBy(() -> ConfigLoader.parse("d.yaml", "gateway: {dns: {burst: 0}}"))
                .hasMessageContaining("gateway.dns.burst must be at least 1");
    }

    @Test
    void publicDohResolversAreBlockedByDefaultAndTheListCanBeReplaced() throws ConfigException {
        assertThat(ConfigLoader.parse("d.yaml", "").ioc().dohResolvers()).contains("dns.google", "cloudflare-dns.com");
        assertThat(ConfigLoader.parse("d.yaml", "ioc: {domains: [evil.invalid]}").ioc().dohResolvers())
                .contains("dns.google");
        assertThat(ConfigLoader.parse("d.yaml", "ioc: {doh-resolvers: []}").ioc().dohResolvers()).isEmpty();
    }

    @Test
    void acceptsAllowedEndpointsAsAList() throws ConfigException {
        GatewayConfig c = ConfigLoader.parse("list.yaml", """
                policies:
                  - name: p
                    sources: [10.0.0.0/8]
                    allowed-endpoints: [github.com:443, "*.npmjs.org:443"]
                """);
        assertThat(c.policies().getFirst().allowedEndpoints()).isEqualTo("github.com:443\n*.npmjs.org:443");
    }

    @Test
    void unknownKeyNamesTheLineAndTheKnownKeys() {
        assertThatThrownBy(() -> ConfigLoader.parse("typo.yaml", """
                gateway:
                  runner-interface: [eth1]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("typo.yaml line 2")
                .hasMessageContaining("unknown key 'runner-interface'")
                .hasMessageContaining("runner-interfaces");
    }

    @Test
    void badPortIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.parse("port.yaml", "gateway: {listen: {tcp: 70000}}"))
                .hasMessageContaining("gateway.listen.tcp: 70000 is not a TCP/UDP port");
    }

    @Test
    void badEnumValueListsTheChoices() {
        assertThatThrownBy(() -> ConfigLoader.parse("nft.yaml", "gateway: {nftables: sometimes}"))
                .hasMessageContaining("'sometimes' is not one of manage | off");
    }

    @Test
    void badDurationSaysHowToWriteOne() {
        assertThatThrownBy(() -> ConfigLoader.parse("d.yaml", "gateway: {peek-timeout: soon}"))
                .hasMessageContaining("gateway.peek-timeout")
                .hasMessageContaining("3s");
    }

    @Test
    void policyWithoutSourcesIsRejected() {
        assertThatThrownBy(() -> ConfigLoader.parse("p.yaml", """
                policies:
                  - name: lonely
                    allowed-endpoints: github.com
                """)).hasMessageContaining("policy 'lonely': sources is missing");
    }

    @Test
    void duplicatePolicyNamesAreRejected() {
        assertThatThrownBy(() -> ConfigLoader.parse("p.yaml", """
                policies:
                  - {name: a, sources: [10.0.0.0/8]}
                  - {name: a, sources: [10.1.0.0/16]}
                """)).hasMessageContaining("'a' is used twice");
    }

    @Test
    void brokenYamlNamesTheLine() {
        assertThatThrownBy(() -> ConfigLoader.parse("broken.yaml", "gateway:\n  listen: {tcp: 1\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("broken.yaml line");
    }

    @Test
    void missingFileSaysSo() {
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("/nonexistent/tollgate.yaml")))
                .hasMessageContaining("/nonexistent/tollgate.yaml does not exist");
    }

    @Test
    void interfaceNamesAreValidated() {
        assertThatThrownBy(() -> ConfigLoader.parse("i.yaml", "gateway: {runner-interfaces: ['eth1; drop']}"))
                .hasMessageContaining("not a valid interface name");
        assertThatThrownBy(() -> ConfigLoader.parse("i.yaml", "gateway: {runner-interfaces: []}"))
                .hasMessageContaining("runner-interfaces is empty");
    }
}
