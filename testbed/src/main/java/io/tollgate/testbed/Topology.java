package io.tollgate.testbed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runner namespace, one or more gateway namespaces and an internet namespace, none of them linked to the root
 * namespace. With one gateway ({@link #create()}) everything is wired in a line:
 * <pre>
 *  runner ns                      gateway ns                                  internet ns
 *  run-ID 10.10.0.2/24  ⇄  gwr-ID 10.10.0.1/24 · gwu-ID 10.20.0.1/24  ⇄  net-ID 10.20.0.2/24
 *         fd10::2/64               fd10::1/64       fd20::1/64                 fd20::2/64
 *  default via 10.10.0.1          default via 10.20.0.2, forwarding on        only 10.20.0.0/24 (no way back to
 *                                                                              the runner subnet); lo holds the
 *                                                                              fake internet's addresses
 * </pre>
 * With N gateways ({@link #create(int)}, a cluster) the runner and the internet each hold a bridge every gateway has a
 * veth on, and a fourth namespace holds the <em>cluster network</em> bridge, 10.30.0.0/24, that only the gateways are
 * on (gateway i: {@link #gatewayRunnerIp(int)} on the runner LAN, {@link #gatewayUpstreamIp(int)} on the internet
 * LAN, {@link #gatewayClusterIp(int)} on the cluster network). The runner has no address on the cluster network and
 * no route to it but through a gateway, which intercepts everything a runner sends. The runner's default route goes
 * through gateway 0 until {@link #routeRunner(int, int)} splits DNS and TCP between two gateways.
 * The internet has no route to the runner subnet, so a runner reaches it only through connections the gateway
 * opens itself.
 */
public final class Topology implements AutoCloseable {
    public static final String RUNNER_IP = "10.10.0.2";
    public static final String GATEWAY_RUNNER_IP = "10.10.0.1";
    public static final String GATEWAY_UPSTREAM_IP = "10.20.0.1";
    public static final String INTERNET_IP = "10.20.0.2";
    public static final String RUNNER_IP6 = "fd10::2";
    public static final String GATEWAY_RUNNER_IP6 = "fd10::1";
    public static final String GATEWAY_UPSTREAM_IP6 = "fd20::1";
    public static final String INTERNET_IP6 = "fd20::2";
    /** The cluster network of a multi-gateway topology; runners have no address on it. */
    public static final String CLUSTER_SUBNET = "10.30.0.0/24";

    private static final Logger log = LoggerFactory.getLogger(Topology.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int DNS_ROUTE_TABLE = 53;
    private static final String DNS_RULE_PRIORITY = "100";
    private static final int MAX_GATEWAYS = 9;

    private final NetNs runner;
    private final List<NetNs> gateways;
    private final NetNs internet;
    private final NetNs cluster;
    private final String id;

    private Topology(NetNs runner, List<NetNs> gateways, NetNs internet, NetNs cluster, String id) {
        this.runner = runner;
        this.gateways = List.copyOf(gateways);
        this.internet = internet;
        this.cluster = cluster;
        this.id = id;
    }

    /** Builds the three namespaces of a single gateway and their links; on any failure removes what was built. */
    public static Topology create() {
        return create(1);
    }

    /**
     * Builds a runner, {@code gateways} gateway namespaces and an internet namespace (and, for more than one gateway,
     * the cluster network's namespace); on any failure removes what was already built.
     */
    public static Topology create(int gateways) {
        if (gateways < 1 || gateways > MAX_GATEWAYS) {
            throw new IllegalArgumentException("a topology has 1 to " + MAX_GATEWAYS + " gateways, not " + gateways);
        }
        List<NetNs> created = new ArrayList<>();
        try {
            NetNs runner = track(created, NetNs.create("tg-runner"));
            List<NetNs> gatewayNs = new ArrayList<>();
            for (int i = 0; i < gateways; i++) {
                gatewayNs.add(track(created, NetNs.create("tg-gateway")));
            }
            NetNs internet = track(created, NetNs.create("tg-internet"));
            NetNs cluster = gateways == 1 ? null : track(created, NetNs.create("tg-cluster"));
            var topology = new Topology(runner, gatewayNs, internet, cluster, NetNs.randomId());
            if (gateways == 1) {
                topology.wireLine();
            } else {
                topology.wireBridged();
            }
            log.info("topology up: {} ⇄ {} ⇄ {}{}", runner.name(), gatewayNs.stream().map(NetNs::name).toList(),
                    internet.name(), cluster == null ? "" : ", cluster network in " + cluster.name());
            return topology;
        } catch (RuntimeException e) {
            created.forEach(NetNs::close);
            throw e;
        }
    }

    public NetNs runner() {
        return runner;
    }

    /** The (first) gateway's namespace. */
    public NetNs gateway() {
        return gateway(0);
    }

    public NetNs gateway(int index) {
        return gateways.get(index);
    }

    public int gatewayCount() {
        return gateways.size();
    }

    public NetNs internet() {
        return internet;
    }

    /** The (first) gateway's runner-facing veth (the gateway's {@code runner-interfaces}). */
    public String gatewayRunnerInterface() {
        return gatewayRunnerInterface(0);
    }

    /** Gateway {@code index}'s runner-facing veth, inside its namespace. */
    public String gatewayRunnerInterface(int index) {
        return "gwr" + suffix(index);
    }

    /** The (first) gateway's internet-facing veth. */
    public String gatewayUpstreamInterface() {
        return gatewayUpstreamInterface(0);
    }

    public String gatewayUpstreamInterface(int index) {
        return "gwu" + suffix(index);
    }

    /** Gateway {@code index}'s veth on the cluster network (multi-gateway topologies only). */
    public String gatewayClusterInterface(int index) {
        return "gwc" + suffix(index);
    }

    /** Gateway {@code index}'s address on the runner LAN: 10.10.0.1, then 10.10.0.11, 10.10.0.12, ... */
    public static String gatewayRunnerIp(int index) {
        return index == 0 ? GATEWAY_RUNNER_IP : "10.10.0." + (10 + index);
    }

    public static String gatewayRunnerIp6(int index) {
        return index == 0 ? GATEWAY_RUNNER_IP6 : "fd10::" + (10 + index);
    }

    /** Gateway {@code index}'s address on the internet LAN: 10.20.0.1, then 10.20.0.11, 10.20.0.12, ... */
    public static String gatewayUpstreamIp(int index) {
        return index == 0 ? GATEWAY_UPSTREAM_IP : "10.20.0." + (10 + index);
    }

    public static String gatewayUpstreamIp6(int index) {
        return index == 0 ? GATEWAY_UPSTREAM_IP6 : "fd20::" + (10 + index);
    }

    /** Gateway {@code index}'s address on the cluster network: 10.30.0.1, 10.30.0.2, ... */
    public static String gatewayClusterIp(int index) {
        return "10.30.0." + (1 + index);
    }

    /**
     * Sends the runner's DNS (UDP and TCP port 53, to any address) through gateway {@code dnsVia} and everything else
     * through gateway {@code tcpVia}: the case of a runner whose DNS and connections hit different nodes. Calling it
     * again replaces the previous choice.
     */
    public void routeRunner(int dnsVia, int tcpVia) {
        runner.execOrThrow(TIMEOUT, "ip", "route", "replace", "default", "via", gatewayRunnerIp(tcpVia));
        runner.execOrThrow(TIMEOUT, "ip", "route", "replace", "default", "via", gatewayRunnerIp(dnsVia),
                "table", Integer.toString(DNS_ROUTE_TABLE));
        while (runner.exec(TIMEOUT, "ip", "rule", "del", "priority", DNS_RULE_PRIORITY).succeeded()) {
            // drop the rules of an earlier choice
        }
        for (String protocol : List.of("udp", "tcp")) {
            runner.execOrThrow(TIMEOUT, "ip", "rule", "add", "priority", DNS_RULE_PRIORITY, "ipproto", protocol,
                    "dport", "53", "lookup", Integer.toString(DNS_ROUTE_TABLE));
        }
    }

    /** Adds {@code ip} (v4 as /32, v6 as /128) to the internet namespace's loopback; adding it again is a no-op. */
    public void addInternetAddress(String ip) {
        if (ip.contains(":")) {
            // nodad: usable at once, never "tentative" (a bind right after would fail with EADDRNOTAVAIL)
            internet.execOrThrow(TIMEOUT, "ip", "address", "replace", ip + "/128", "dev", "lo", "nodad");
        } else {
            internet.execOrThrow(TIMEOUT, "ip", "address", "replace", ip + "/32", "dev", "lo");
        }
    }

    /**
     * Makes {@code ip netns exec} tools in the runner namespace resolve these names: writes its hosts file (localhost
     * entries kept) and an empty resolv.conf.
     */
    public void setRunnerHosts(Map<String, String> nameToIp) {
        var hosts = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        nameToIp.forEach((name, ip) -> hosts.append(ip).append('\t').append(name).append('\n'));
        runner.writeEtcFile("hosts", hosts.toString());
        runner.writeEtcFile("resolv.conf", "");
    }

    /** Removes every namespace (and with them the veths and bridges), their processes and /etc/netns dirs. Idempotent. */
    @Override
    public void close() {
        runner.close();
        gateways.forEach(NetNs::close);
        internet.close();
        if (cluster != null) {
            cluster.close();
        }
    }

    private static NetNs track(List<NetNs> created, NetNs ns) {
        created.add(ns);
        return ns;
    }

    /** Interface names are at most 15 characters: a prefix of 3, the gateway's index after the first, the id. */
    private String suffix(int index) {
        return (index == 0 ? "" : Integer.toString(index)) + "-" + id;
    }

    private void wireLine() {
        NetNs gateway = gateway(0);
        link(runner, "run-" + id, gateway, gatewayRunnerInterface(0));
        link(gateway, gatewayUpstreamInterface(0), internet, "net-" + id);

        address(runner, "run-" + id, RUNNER_IP + "/24", RUNNER_IP6 + "/64");
        address(internet, "net-" + id, INTERNET_IP + "/24", INTERNET_IP6 + "/64");
        wireGateway(0);
        runner.execOrThrow(TIMEOUT, "ip", "route", "add", "default", "via", GATEWAY_RUNNER_IP);
        runner.execOrThrow(TIMEOUT, "ip", "-6", "route", "add", "default", "via", GATEWAY_RUNNER_IP6);
    }

    private void wireBridged() {
        String runnerLan = "rbr-" + id;
        String internetLan = "nbr-" + id;
        String clusterLan = "cbr-" + id;
        bridge(runner, runnerLan);
        bridge(internet, internetLan);
        bridge(cluster, clusterLan);
        for (int i = 0; i < gateways.size(); i++) {
            NetNs gateway = gateway(i);
            link(runner, "rg" + suffix(i), gateway, gatewayRunnerInterface(i));
            link(gateway, gatewayUpstreamInterface(i), internet, "ng" + suffix(i));
            link(gateway, gatewayClusterInterface(i), cluster, "cg" + suffix(i));
            port(runner, "rg" + suffix(i), runnerLan);
            port(internet, "ng" + suffix(i), internetLan);
            port(cluster, "cg" + suffix(i), clusterLan);
            wireGateway(i);
            gateway.execOrThrow(TIMEOUT, "ip", "address", "add", gatewayClusterIp(i) + "/24", "dev",
                    gatewayClusterInterface(i));
            gateway.execOrThrow(TIMEOUT, "ip", "link", "set", gatewayClusterInterface(i), "up");
        }
        address(runner, runnerLan, RUNNER_IP + "/24", RUNNER_IP6 + "/64");
        address(internet, internetLan, INTERNET_IP + "/24", INTERNET_IP6 + "/64");
        runner.execOrThrow(TIMEOUT, "ip", "route", "add", "default", "via", GATEWAY_RUNNER_IP);
        runner.execOrThrow(TIMEOUT, "ip", "-6", "route", "add", "default", "via", GATEWAY_RUNNER_IP6);
    }

    /** Gateway {@code index}'s runner-facing and internet-facing addresses, its default route and forwarding. */
    private void wireGateway(int index) {
        NetNs gateway = gateway(index);
        address(gateway, gatewayRunnerInterface(index), gatewayRunnerIp(index) + "/24",
                gatewayRunnerIp6(index) + "/64");
        address(gateway, gatewayUpstreamInterface(index), gatewayUpstreamIp(index) + "/24",
                gatewayUpstreamIp6(index) + "/64");
        gateway.execOrThrow(TIMEOUT, "ip", "route", "add", "default", "via", INTERNET_IP);
        gateway.execOrThrow(TIMEOUT, "ip", "-6", "route", "add", "default", "via", INTERNET_IP6);
        gateway.execOrThrow(TIMEOUT, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
    }

    /** Creates a veth pair with each end directly inside its namespace, so nothing ever appears in the root ns. */
    private static void link(NetNs left, String leftName, NetNs right, String rightName) {
        Command.run(TIMEOUT, List.of("ip", "link", "add", leftName, "netns", left.name(),
                "type", "veth", "peer", "name", rightName, "netns", right.name())).orThrow();
    }

    /** A bridge without STP, so its ports forward at once. */
    private static void bridge(NetNs ns, String name) {
        ns.execOrThrow(TIMEOUT, "ip", "link", "add", name, "type", "bridge", "stp_state", "0", "forward_delay", "0");
        ns.execOrThrow(TIMEOUT, "ip", "link", "set", name, "up");
    }

    private static void port(NetNs ns, String device, String bridge) {
        ns.execOrThrow(TIMEOUT, "ip", "link", "set", device, "master", bridge);
        ns.execOrThrow(TIMEOUT, "ip", "link", "set", device, "up");
    }

    private static void address(NetNs ns, String device, String ip4, String ip6) {
        ns.execOrThrow(TIMEOUT, "ip", "address", "add", ip4, "dev", device);
        ns.execOrThrow(TIMEOUT, "ip", "address", "add", ip6, "dev", device, "nodad");
        ns.execOrThrow(TIMEOUT, "ip", "link", "set", device, "up");
    }
}
