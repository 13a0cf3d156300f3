package io.tollgate.gateway.nft;

import com.google.common.net.InetAddresses;
import io.tollgate.gateway.config.GatewayConfig;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The nftables rules a node installs. Two tables with separate lifetimes:
 * <ul>
 *   <li>{@code inet tollgate}: interception. Runner DNS (UDP and TCP port 53, to any address) is redirected to the
 *       dns-firewall; TCP to the API port on one of the node's runner-facing API addresses ({@code apiRunnerAddresses},
 *       where runners register their jobs) is delivered to the API; other runner TCP goes to the gateway through
 *       TPROXY; every other packet a runner sends to or through this host is counted and dropped; the dns-firewall's
 *       port answers runners only. Replaced at start, removed at shutdown.
 *   <li>{@code inet tollgate_guard}: nothing arriving from a runner interface is ever forwarded. It stays when the
 *       gateway stops or crashes, so a dead gateway is a closed door, not an open router; only
 *       {@code tollgate gateway uninstall} removes it.
 * </ul>
 */
public record Ruleset(List<String> runnerInterfaces, int tcpPort, int dnsPort, int apiPort,
        List<InetAddress> apiRunnerAddresses, boolean ipv6, int mark) {
    public static final String TABLE = "tollgate";
    public static final String GUARD_TABLE = "tollgate_guard";

    /** The ruleset for a node's config; {@code ipv6} when the node intercepts IPv6 TCP. */
    public static Ruleset forNode(GatewayConfig.Gateway g, boolean ipv6, int mark) {
        return new Ruleset(g.runnerInterfaces(), g.listen().tcp(), g.listen().dns(), g.listen().api(),
                g.api().runnerBind(), ipv6, mark);
    }

    /** A script for {@code nft -f -} that atomically replaces the interception table. */
    public String interceptionScript() {
        String ifs = interfaceSet();
        StringBuilder s = new StringBuilder();
        s.append("table inet ").append(TABLE).append("\ndelete table inet ").append(TABLE).append('\n');
        s.append("table inet ").append(TABLE).append(" {\n");
        s.append("  counter runner_dns_redirected {}\n");
        s.append("  counter runner_tcp_intercepted {}\n");
        s.append("  counter runner_other_dropped {}\n");
        s.append("  counter runner_api_accepted {}\n");
        s.append("  chain prerouting {\n");
        s.append("    type filter hook prerouting priority mangle; policy accept;\n");
        s.append("    iifname ").append(ifs).append(" meta l4proto { tcp, udp } th dport 53 accept\n");
        for (InetAddress api : apiRunnerAddresses) {
            s.append("    iifname ").append(ifs).append(api instanceof Inet4Address ? " ip daddr " : " ip6 daddr ")
                    .append(InetAddresses.toAddrString(api)).append(" tcp dport ").append(apiPort)
                    .append(" counter name runner_api_accepted accept\n");
        }
        s.append("    iifname ").append(ifs).append(" meta nfproto ipv4 meta l4proto tcp counter name runner_tcp_intercepted")
                .append(" tproxy ip to 127.0.0.1:").append(tcpPort).append(" meta mark set ").append(mark).append(" accept\n");
        if (ipv6) {
            s.append("    iifname ").append(ifs).append(" meta nfproto ipv6 meta l4proto tcp counter name runner_tcp_intercepted")
                    .append(" tproxy ip6 to [::1]:").append(tcpPort).append(" meta mark set ").append(mark).append(" accept\n");
        }
        s.append("    iifname ").append(ifs).append(" icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit }")
                .append(" accept\n");
        s.append("    iifname ").append(ifs).append(" counter name runner_other_dropped drop\n");
        s.append("  }\n");
        s.append("  chain dns_redirect {\n");
        s.append("    type nat hook prerouting priority dstnat; policy accept;\n");
        s.append("    iifname ").append(ifs).append(" meta l4proto { tcp, udp } th dport 53 counter name runner_dns_redirected")
                .append(" redirect to :").append(dnsPort).append('\n');
        s.append("  }\n");
        s.append("  chain input {\n");
        s.append("    type filter hook input priority filter; policy accept;\n");
        s.append("    iifname != ").append(ifs).append(" iifname != \"lo\" meta l4proto { tcp, udp } th dport ")
                .append(dnsPort).append(" drop\n");
        s.append("  }\n}\n");
        return s.toString();
    }

    /** A script that creates the forwarding guard if it is missing (and leaves it in place if present). */
    public String guardScript() {
        return "table inet " + GUARD_TABLE + "\ndelete table inet " + GUARD_TABLE + "\n"
                + "table inet " + GUARD_TABLE + " {\n"
                + "  chain forward {\n"
                + "    type filter hook forward priority filter - 10; policy accept;\n"
                + "    iifname " + interfaceSet() + " counter drop\n"
                + "  }\n}\n";
    }

    private String interfaceSet() {
        return runnerInterfaces.stream().map(name -> "\"" + name + "\"").collect(Collectors.joining(", ", "{ ", " }"));
    }
}
