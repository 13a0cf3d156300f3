package io.tollgate.gateway.node;

import io.netty.channel.EventLoopGroup;
import io.tollgate.dns.DnsFirewall;
import io.tollgate.dns.RateLimits;
import io.tollgate.dns.bind.BindingLimits;
import io.tollgate.dns.bind.BindingReplica;
import io.tollgate.dns.bind.DnsBindingTable;
import io.tollgate.dns.resolve.CachingResolver;
import io.tollgate.dns.server.DnsServer;
import io.tollgate.gateway.config.GatewayConfig;
import io.tollgate.gateway.decide.DestinationNames;
import io.tollgate.gateway.attribution.ConnectionKey;
import io.tollgate.gateway.events.ConnectionEvents;
import io.tollgate.gateway.events.DnsEvents;
import io.tollgate.gateway.events.Event;
import io.tollgate.gateway.events.EventSink;
import io.tollgate.gateway.metrics.GatewayMetrics;
import io.tollgate.policy.jobs.JobView;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.xbill.DNS.ResolverConfig;

/**
 * The node's dns-firewall: it answers the runners' DNS (redirected to it by nftables), records which addresses each
 * runner learned for which allowed names, and gives the TCP data path that evidence and its own cached resolution.
 */
final class DnsService implements AutoCloseable {
    private static final int MAX_ADDRESSES_PER_NAME = 64;
    private static final int MAX_NAMES_PER_SOURCE = 10_000;
    private static final int UPSTREAM_RETRIES = 2;
    private static final int CACHE_ENTRIES = 50_000;

    private final DnsServer server;
    private final ScheduledFuture<?> purge;
    private final DestinationNames names;

    private DnsService(DnsServer server, ScheduledFuture<?> purge, DestinationNames names) {
        this.server = server;
        this.purge = purge;
        this.names = names;
    }

    static DnsService start(GatewayConfig.Gateway g, EventLoopGroup group, Supplier<PolicySnapshot> snapshot,
            EventSink events, ConnectionEvents.Sink joined, GatewayMetrics metrics, JobView jobs,
            BindingReplica replica, Clock clock)
            throws GatewayStartException {
        List<InetSocketAddress> upstreams = g.upstreamDns().isEmpty()
                ? ResolverConfig.getCurrentConfig().servers() : g.upstreamDns();
        if (upstreams.isEmpty()) {
            throw new GatewayStartException("no upstream DNS resolver: set gateway.upstream-dns (e.g. [10.0.0.2:53])"
                    + " or list a nameserver in /etc/resolv.conf", null);
        }
        GatewayConfig.Dns d = g.dns();
        DnsBindingTable bindings = new DnsBindingTable(clock,
                new BindingLimits(d.bindingGrace(), d.minTtl(), d.maxTtl(), MAX_ADDRESSES_PER_NAME, MAX_NAMES_PER_SOURCE),
                replica);
        CachingResolver resolver = new CachingResolver(upstreams, d.upstreamTimeout(), UPSTREAM_RETRIES, CACHE_ENTRIES,
                clock);
        DnsFirewall firewall = new DnsFirewall(() -> snapshot.get().policies(), () -> snapshot.get().ioc(), resolver,
                bindings, new RateLimits(d.queriesPerSecond(), d.burst()),
                query -> {
                    metrics.dnsQueryAnswered(query.verdict(), query.reason());
                    Event event = DnsEvents.of(g.nodeName(), query, Event.JobRef.of(jobs.at(query.source())));
                    if (query.udpSourcePort() > 0) {
                        joined.record(event, ConnectionKey.udpSource(query.source(), query.udpSourcePort()));
                    } else {
                        events.record(event);
                    }
                }, clock);
        DnsServer server;
        try {
            server = DnsServer.start(group, new InetSocketAddress(g.listen().dns()), firewall);
        } catch (IOException e) {
            throw new GatewayStartException("the dns-firewall cannot listen on port " + g.listen().dns() + ": "
                    + e.getMessage() + " (change gateway.listen.dns if another program holds it)", e);
        }
        ScheduledFuture<?> purge = group.scheduleAtFixedRate(bindings::purgeExpired, 30, 30, TimeUnit.SECONDS);
        return new DnsService(server, purge, new DnsDestinationNames(bindings, resolver));
    }

    DestinationNames destinationNames() {
        return names;
    }

    @Override
    public void close() {
        purge.cancel(false);
        server.close();
    }
}
