package io.tollgate.gateway.nft;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.util.List;
import org.junit.jupiter.api.Test;

class RulesetTest {
    private final Ruleset ruleset = new Ruleset(List.of("eth1", "eth2"), 15001, 15053, 9901,
            List.of(InetAddresses.forString("10.10.0.1"), InetAddresses.forString("fd10::1")), true, 1);

    @Test
    void interceptsRunnerTcpWithTproxyForBothFamilies() {
        String script = ruleset.interceptionScript();
        assertThat(script).contains("iifname { \"eth1\", \"eth2\" } meta nfproto ipv4 meta l4proto tcp")
                .contains("tproxy ip to 127.0.0.1:15001 meta mark set 1 accept")
                .contains("tproxy ip6 to [::1]:15001 meta mark set 1 accept");
    }

    @Test
    void dropsAndCountsEverythingElseFromRunners() {
        String script = ruleset.interceptionScript();
        assertThat(script.indexOf("counter name runner_other_dropped drop"))
                .isGreaterThan(script.indexOf("tproxy ip6"));
    }

    @Test
    void replacesTheTableAtomically() {
        assertThat(ruleset.interceptionScript()).startsWith("table inet tollgate\ndelete table inet tollgate\n");
    }

    @Test
    void redirectsRunnerDnsToAnyAddressToTheDnsFirewallBeforeTcpInterception() {
        String script = ruleset.interceptionScript();
        assertThat(script).contains("meta l4proto { tcp, udp } th dport 53 counter name runner_dns_redirected"
                + " redirect to :15053");
        assertThat(script.indexOf("th dport 53 accept")).isLessThan(script.indexOf("tproxy ip to"));
    }

    @Test
    void letsRunnersReachOnlyTheApiPortOnTheRunnerFacingApiAddressesBeforeTcpInterception() {
        String script = ruleset.interceptionScript();
        assertThat(script).contains("iifname { \"eth1\", \"eth2\" } ip daddr 10.10.0.1 tcp dport 9901"
                        + " counter name runner_api_accepted accept\n")
                .contains("iifname { \"eth1\", \"eth2\" } ip6 daddr fd10::1 tcp dport 9901"
                        + " counter name runner_api_accepted accept\n");
        assertThat(script.indexOf("dport 9901")).isLessThan(script.indexOf("tproxy ip to"));
        assertThat(script.lines().filter(line -> line.contains(" accept") && line.contains("daddr")).count())
                .as("no other exemption").isEqualTo(2);
        assertThat(new Ruleset(List.of("eth1"), 15001, 15053, 9901, List.of(), true, 1).interceptionScript())
                .doesNotContain("daddr");
    }

    @Test
    void dnsFirewallPortAnswersRunnersOnly() {
        assertThat(ruleset.interceptionScript())
                .contains("iifname != { \"eth1\", \"eth2\" } iifname != \"lo\" meta l4proto { tcp, udp } th dport 15053 drop");
    }

    @Test
    void guardNeverForwardsRunnerTraffic() {
        assertThat(ruleset.guardScript()).contains("hook forward").contains("iifname { \"eth1\", \"eth2\" } counter drop");
    }

    @Test
    void withoutIpv6ListenerNoIpv6Tproxy() {
        assertThat(new Ruleset(List.of("eth1"), 15001, 15053, 9901, List.of(), false, 1).interceptionScript()).doesNotContain("tproxy ip6");
    }
}
