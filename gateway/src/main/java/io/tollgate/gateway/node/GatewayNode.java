package io.tollgate.gateway.node;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.tollgate.dns.bind.BindingReplica;
import io.tollgate.dns.bind.ClusterBindings;
import io.tollgate.gateway.accept.ListenerException;
import com.hazelcast.ringbuffer.Ringbuffer;
import io.tollgate.gateway.api.ApiRoutes;
import io.tollgate.gateway.api.ApiServer;
import io.tollgate.gateway.api.ApiStartException;
import io.tollgate.gateway.api.ApiTokens;
import io.tollgate.gateway.api.AttributionEndpoint;
import io.tollgate.gateway.api.EventsEndpoint;
import io.tollgate.gateway.api.IocEndpoint;
import io.tollgate.gateway.api.JobsEndpoint;
import io.tollgate.gateway.api.PoliciesEndpoint;
import io.tollgate.gateway.api.Readiness;
import io.tollgate.gateway.api.RunnerRoutes;
import io.tollgate.gateway.attribution.AttributionStore;
import io.tollgate.gateway.attribution.AttributionView;
import io.tollgate.gateway.attribution.HttpsEvents;
import io.tollgate.gateway.attribution.ProcessJoin;
import io.tollgate.gateway.accept.TransparentListener;
import io.tollgate.gateway.config.GatewayConfig;
import io.tollgate.gateway.config.GatewayConfig.NftablesMode;
import io.tollgate.gateway.events.BlockLog;
import io.tollgate.gateway.events.ClusterEventSink;
import io.tollgate.gateway.events.ClusterEventStream;
import io.tollgate.gateway.events.EventFanOut;
import io.tollgate.gateway.events.EventFile;
import io.tollgate.gateway.events.EventSink;
import io.tollgate.gateway.inspect.Peek;
import io.tollgate.gateway.metrics.GatewayMetrics;
import io.tollgate.gateway.node.PolicyLoader.ConfigPolicy;
import io.tollgate.gateway.nft.Interception;
import io.tollgate.gateway.nft.NetworkSetupException;
import io.tollgate.gateway.nft.Ruleset;
import io.tollgate.gateway.relay.splice.SpliceRelay;
import io.tollgate.policy.PolicyException;
import io.tollgate.policy.cluster.ClusterException;
import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.policy.cluster.ClusterSettings;
import io.tollgate.policy.jobs.JobRegistry;
import io.tollgate.policy.jobs.JobView;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running gateway: policy snapshot, event log, transparent listeners and the node's interception rules. */
public final class GatewayNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayNode.class);
    /** The largest first flight the gateway buffers before it decides (a ClientHello is capped at 64 KiB). */
    private static final int PEEK_LIMIT = 64 * 1024 + 5 * 16;
    private static final int TPROXY_MARK = 1;

    private final EventFile eventFile;
    private final ClusterEventSink clusterEvents;
    private final EventLoopGroup group;
    private final DnsService dns;
    private final List<TransparentListener> listeners;
    private final Optional<Interception> interception;
    private final ApiServer api;
    private final ClusterMember cluster;
    private final Readiness readiness;
    private final ProcessJoin processJoin;

    private GatewayNode(EventFile eventFile, ClusterEventSink clusterEvents, EventLoopGroup group,
            DnsService dns, List<TransparentListener> listeners, Optional<Interception> interception, ApiServer api,
            ClusterMember cluster, Readiness readiness, ProcessJoin processJoin) {
        this.eventFile = eventFile;
        this.clusterEvents = clusterEvents;
        this.group = group;
        this.dns = dns;
        this.listeners = listeners;
        this.interception = interception;
        this.api = api;
        this.cluster = cluster;
        this.readiness = readiness;
        this.processJoin = processJoin;
    }

    public static GatewayNode start(GatewayConfig config) throws GatewayStartException {
        GatewayConfig.Gateway g = config.gateway();
        ConfigPolicy configPolicy = loadPolicy(config);
        ApiTokens tokens = loadTokens(g);
        GatewayMetrics metrics = new GatewayMetrics();
        if (!Epoll.isAvailable()) {
            throw new GatewayStartException("native epoll is unavailable (" + Epoll.unavailabilityCause()
                    + "); the gateway runs only on Linux x86_64 with the netty epoll native library", null);
        }
        // What has started so far, stopped in reverse order if a later step fails.
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            EventFile eventFile = openEvents(g);
            started.push(eventFile);
            metrics.watchEventFile(eventFile);
            SpliceRelay splice = new SpliceRelay(g.connectTimeout(), metrics);
            metrics.watchRelay(splice);
            ClusterMember cluster = joinCluster(config.cluster(), g.runnerInterfaces());
            started.push(cluster);
            Ringbuffer<String> eventStream = openEventStream(cluster, g);
            ClusterEventSink clusterEvents = new ClusterEventSink(eventStream);
            started.push(clusterEvents);
            metrics.watchClusterEvents(clusterEvents);
            metrics.watchCluster(cluster.hazelcast());
            JobView jobView = JobView.follow(cluster.hazelcast());
            CurrentPolicy snapshot = new CurrentPolicy(configPolicy, jobView, metrics);
            PolicyStoreService.Stores stores = PolicyStoreService.open(config.policyStore(), configPolicy, cluster,
                    snapshot, started);
            JobsEndpoint jobs = new JobsEndpoint(tokens,
                    new JobRegistry(cluster.hazelcast(), g.jobMaxDuration(), Clock.systemUTC()),
                    () -> snapshot.get().policies(), JobIdentity.from(config.jobOidc()));
            Readiness readiness = new Readiness();
            EventSink events = new EventFanOut(List.of(eventFile, clusterEvents, new BlockLog()));
            AttributionEndpoint attribution = new AttributionEndpoint(tokens,
                    new AttributionStore(cluster.hazelcast(), g.attribution().ttl()),
                    new HttpsEvents(g.nodeName(), jobView, events, Clock.systemUTC()));
            ApiServer api = startApi(g, new ApiRoutes(tokens, readiness, metrics,
                    List.of(jobs, new PoliciesEndpoint(tokens, stores.policies()),
                            new IocEndpoint(tokens, stores.ioc()), new EventsEndpoint(tokens, eventStream,
                                    Clock.systemUTC()))),
                    new RunnerRoutes(jobs, attribution));
            started.push(api);
            ProcessJoin processJoin = new ProcessJoin(AttributionView.follow(cluster.hazelcast()), events,
                    g.attribution().joinWait(), g.attribution().ttl(), Clock.systemUTC());
            started.push(processJoin);
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(g.workerThreads(), EpollIoHandler.newFactory());
            started.push(() -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS));
            DnsService dns = DnsService.start(g, group, snapshot, events, processJoin, metrics, jobView,
                    bindingReplica(config.cluster(), cluster), Clock.systemUTC());
            started.push(dns);
            Gatekeeper gatekeeper = new Gatekeeper(g.nodeName(), snapshot, dns.destinationNames(), processJoin,
                    splice, metrics, jobView, Clock.systemUTC());
            List<TransparentListener> listeners = new ArrayList<>();
            started.push(() -> listeners.forEach(TransparentListener::close));
            listeners.add(bind(group, new InetSocketAddress("127.0.0.1", g.listen().tcp()), g, gatekeeper));
            boolean ipv6 = bindIpv6(group, g, gatekeeper, listeners);
            Optional<Interception> interception = g.nftables() == NftablesMode.MANAGE
                    ? Optional.of(intercept(Ruleset.forNode(g, ipv6, TPROXY_MARK)))
                    : Optional.empty();
            LOG.info("tollgate gateway '{}' ready: {} policies, {} IOC entries, intercepting TCP on {} -> port {},"
                            + " DNS -> port {}, events to {}", g.nodeName(), snapshot.get().policies().policies().size(),
                    snapshot.get().ioc().size(), g.runnerInterfaces(), g.listen().tcp(), g.listen().dns(),
                    g.events().file());
            LOG.info("operator API on {}://{}:{} ({} tokens); job registration for runners on {}",
                    g.api().tls() == null ? "http" : "https", g.api().bind().getHostAddress(), api.port(),
                    g.api().tokens().size(), g.api().runnerBind().isEmpty() ? "no address (gateway.api.runner-bind)"
                            : g.api().runnerBind().stream().map(a -> a.getHostAddress() + ":" + api.port()).toList());
            readiness.ready();
            return new GatewayNode(eventFile, clusterEvents, group, dns, listeners, interception, api, cluster,
                    readiness, processJoin);
        } catch (GatewayStartException e) {
            stopAll(started);
            throw e;
        }
    }

    private static ConfigPolicy loadPolicy(GatewayConfig config) throws GatewayStartException {
        try {
            return PolicyLoader.load(config);
        } catch (PolicyException e) {
            throw new GatewayStartException("the policy cannot be used: " + e.getMessage(), e);
        }
    }

    private static ApiTokens loadTokens(GatewayConfig.Gateway g) throws GatewayStartException {
        try {
            return ApiTokens.load(g.api().tokens());
        } catch (ApiStartException e) {
            throw new GatewayStartException(e.getMessage(), e);
        }
    }

    private static EventFile openEvents(GatewayConfig.Gateway g) throws GatewayStartException {
        try {
            return EventFile.open(g.events().file(), g.events().maxSize(), g.events().keep());
        } catch (IOException e) {
            throw new GatewayStartException("cannot open the events file " + g.events().file() + ": " + e.getMessage()
                    + "; set gateway.events.file to a writable path", e);
        }
    }

    private static ClusterMember joinCluster(GatewayConfig.Cluster c, List<String> runnerInterfaces)
            throws GatewayStartException {
        refuseRunnerFacingBind(c, runnerInterfaces);
        long started = System.nanoTime();
        try {
            ClusterMember member = ClusterMember.start(
                    new ClusterSettings(c.bind(), c.port(), c.members(), c.backupCount(), c.aws()));
            LOG.info("cluster member '{}' on {}:{} ({}, {} backup(s) per entry) started in {} ms; {} member(s) now",
                    ClusterMember.CLUSTER_NAME, c.bind().getHostAddress(), c.port(),
                    c.aws() != null ? "peers by AWS discovery " + c.aws()
                            : c.members().isEmpty() ? "single node, no peers" : "peers " + c.members().stream()
                            .map(m -> m.getAddress().getHostAddress() + ":" + m.getPort()).toList(),
                    c.backupCount(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                    member.hazelcast().getCluster().getMembers().size());
            return member;
        } catch (ClusterException e) {
            throw new GatewayStartException(e.getMessage(), e);
        }
    }

    /** Hazelcast has no authentication in its open-source edition: it must never listen where runners can connect. */
    private static void refuseRunnerFacingBind(GatewayConfig.Cluster c, List<String> runnerInterfaces)
            throws GatewayStartException {
        for (String name : runnerInterfaces) {
            NetworkInterface nic;
            try {
                nic = NetworkInterface.getByName(name);
            } catch (SocketException e) {
                throw new GatewayStartException("cannot list the addresses of runner interface " + name + ": "
                        + e.getMessage(), e);
            }
            if (nic != null && nic.inetAddresses().anyMatch(c.bind()::equals)) {
                throw new GatewayStartException("cluster.bind " + c.bind().getHostAddress() + " is an address of runner"
                        + " interface " + name + ": runners could reach the cluster member, which has no"
                        + " authentication; bind it to the node's address on the cluster network", null);
            }
        }
    }

    private static Ringbuffer<String> openEventStream(ClusterMember cluster, GatewayConfig.Gateway g)
            throws GatewayStartException {
        try {
            return ClusterEventStream.open(cluster.hazelcast(), g.events().clusterCapacity());
        } catch (IllegalStateException e) {
            throw new GatewayStartException(e.getMessage(), e);
        }
    }

    /** A single node keeps its bindings to itself; cluster nodes share them through {@value ClusterBindings#MAP}. */
    private static BindingReplica bindingReplica(GatewayConfig.Cluster c, ClusterMember member) {
        return c.members().isEmpty() && c.aws() == null ? BindingReplica.NONE
                : new ClusterBindings(member.hazelcast(), c.bindingWait(), c.bindingWait());
    }

    private static ApiServer startApi(GatewayConfig.Gateway g, ApiRoutes routes, RunnerRoutes runnerRoutes)
            throws GatewayStartException {
        try {
            return ApiServer.start(g.api(), g.listen().api(), routes, runnerRoutes);
        } catch (ApiStartException e) {
            throw new GatewayStartException(e.getMessage(), e);
        }
    }

    private static TransparentListener bind(EventLoopGroup group, InetSocketAddress address, GatewayConfig.Gateway g,
            Gatekeeper gatekeeper) throws GatewayStartException {
        try {
            return TransparentListener.bind(group, address,
                    connection -> Peek.start(connection, g.peekTimeout(), PEEK_LIMIT, gatekeeper));
        } catch (ListenerException e) {
            throw new GatewayStartException(e.getMessage(), e);
        }
    }

    private static Interception intercept(Ruleset ruleset) throws GatewayStartException {
        Interception interception = new Interception(ruleset);
        try {
            interception.install();
            return interception;
        } catch (NetworkSetupException e) {
            throw new GatewayStartException(e.getMessage(), e);
        }
    }

    private static void stopAll(Deque<AutoCloseable> started) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                LOG.warn("cleaning up after a failed start: {}", e.toString());
            }
        }
    }

    private static boolean bindIpv6(EventLoopGroup group, GatewayConfig.Gateway g,
            Gatekeeper gatekeeper, List<TransparentListener> listeners) {
        try {
            listeners.add(bind(group, new InetSocketAddress("::1", g.listen().tcp()), g, gatekeeper));
            return true;
        } catch (GatewayStartException e) {
            LOG.warn("IPv6 interception is off, so runner IPv6 TCP is dropped: {}", e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        readiness.notReady("stopping");
        listeners.forEach(TransparentListener::close);
        dns.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        // Last, once connections have released their descriptors: removing the rules runs nft and ip.
        interception.ifPresent(Interception::remove);
        api.close();
        processJoin.close();
        clusterEvents.close();
        cluster.close();
        closeQuietly(eventFile);
        LOG.info("tollgate gateway stopped; interception removed, the forwarding guard stays in place");
    }

    private static void closeQuietly(EventFile file) {
        try {
            file.close();
        } catch (IOException e) {
            LOG.warn("closing the events file failed: {}", e.getMessage());
        }
    }
}
