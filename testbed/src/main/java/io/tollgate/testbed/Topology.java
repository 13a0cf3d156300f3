package io.tollgate.testbed;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three namespaces wired in a line, none of them linked to the root namespace:
 * <pre>
 *  runner ns                      gateway ns                                  internet ns
 *  run-ID 10.10.0.2/24  ⇄  gwr-ID 10.10.0.1/24 · gwu-ID 10.20.0.1/24  ⇄  net-ID 10.20.0.2/24
 *         fd10::2/64               fd10::1/64       fd20::1/64                 fd20::2/64
 *  default via 10.10.0.1          default via 10.20.0.2, forwarding on        only 10.20.0.0/24 (no way back to
 *                                                                              the runner subnet); lo holds the
 *                                                                              fake internet's addresses
 * </pre>
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

    private static final Logger log = LoggerFactory.getLogger(Topology.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final NetNs runner;
    private final NetNs gateway;
    private final NetNs internet;
    private final String id;

    private Topology(NetNs runner, NetNs gateway, NetNs internet, String id) {
        this.runner = runner;
        this.gateway = gateway;
        this.internet = internet;
        this.id = id;
    }

    /** Builds the three namespaces and their links; on any failure removes what was already built. */
    public static Topology create() {
        NetNs runner = null;
        NetNs gateway = null;
        NetNs internet = null;
        try {
            runner = NetNs.create("tg-runner");
            gateway = NetNs.create("tg-gateway");
            internet = NetNs.create("tg-internet");
            var topology = new Topology(runner, gateway, internet, NetNs.randomId());
            topology.wire();
            log.info("topology up: {} ⇄ {} ⇄ {}", runner.name(), gateway.name(), internet.name());
            return topology;
        } catch (RuntimeException e) {
            for (NetNs ns : new NetNs[] {runner, gateway, internet}) {
                if (ns != null) {
                    ns.close();
                }
            }
            throw e;
        }
    }

    public NetNs runner() {
        return runner;
    }

    public NetNs gateway() {
        return gateway;
    }

    public NetNs internet() {
        return internet;
    }

    /** The runner-facing veth inside the gateway namespace (the gateway's {@code runner-interfaces}). */
    public String gatewayRunnerInterface() {
        return "gwr-" + id;
    }

    /** The internet-facing veth inside the gateway namespace. */
    public String gatewayUpstreamInterface() {
        return "gwu-" + id;
    }

    private String runnerInterface() {
        return "run-" + id;
    }

    private String internetInterface() {
        return "net-" + id;
    }

    /** Adds {@code ip} (v4 as /32, v6 as /128) to the internet namespace's loopback; adding it again is a no-op. */
    public void addInternetAddress(String ip) {
        String prefix = ip.contains(":") ? "/128" : "/32";
        internet.execOrThrow(TIMEOUT, "ip", "address", "replace", ip + prefix, "dev", "lo");
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

    /** Removes the three namespaces (and with them the veths), their processes and /etc/netns dirs. Idempotent. */
    @Override
    public void close() {
        runner.close();
        gateway.close();
        internet.close();
    }

    private void wire() {
        link(runner, runnerInterface(), gateway, gatewayRunnerInterface());
        link(gateway, gatewayUpstreamInterface(), internet, internetInterface());

        address(runner, runnerInterface(), RUNNER_IP + "/24", RUNNER_IP6 + "/64");
        address(gateway, gatewayRunnerInterface(), GATEWAY_RUNNER_IP + "/24", GATEWAY_RUNNER_IP6 + "/64");
        address(gateway, gatewayUpstreamInterface(), GATEWAY_UPSTREAM_IP + "/24", GATEWAY_UPSTREAM_IP6 + "/64");
        address(internet, internetInterface(), INTERNET_IP + "/24", INTERNET_IP6 + "/64");

        runner.execOrThrow(TIMEOUT, "ip", "route", "add", "default", "via", GATEWAY_RUNNER_IP);
        runner.execOrThrow(TIMEOUT, "ip", "-6", "route", "add", "default", "via", GATEWAY_RUNNER_IP6);
        gateway.execOrThrow(TIMEOUT, "ip", "route", "add", "default", "via", INTERNET_IP);
        gateway.execOrThrow(TIMEOUT, "ip", "-6", "route", "add", "default", "via", INTERNET_IP6);
        gateway.execOrThrow(TIMEOUT, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
    }

    /** Creates a veth pair with each end directly inside its namespace, so nothing ever appears in the root ns. */
    private static void link(NetNs left, String leftName, NetNs right, String rightName) {
        Command.run(TIMEOUT, List.of("ip", "link", "add", leftName, "netns", left.name(),
                "type", "veth", "peer", "name", rightName, "netns", right.name())).orThrow();
    }

    private static void address(NetNs ns, String device, String ip4, String ip6) {
        ns.execOrThrow(TIMEOUT, "ip", "address", "add", ip4, "dev", device);
        ns.execOrThrow(TIMEOUT, "ip", "address", "add", ip6, "dev", device, "nodad");
        ns.execOrThrow(TIMEOUT, "ip", "link", "set", device, "up");
    }
}
