package io.tollgate.dns.testing;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.tollgate.dns.DnsFirewall;
import io.tollgate.dns.DnsQueryEvent;
import io.tollgate.dns.RateLimits;
import io.tollgate.dns.bind.BindingLimits;
import io.tollgate.dns.bind.DnsBindingTable;
import io.tollgate.dns.resolve.CachingResolver;
import io.tollgate.dns.server.DnsServer;
import io.tollgate.policy.PolicyTable;
import io.tollgate.policy.ioc.IocList;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The whole module on loopback: a {@link TinyAuthoritativeServer} as the upstream, a {@link CachingResolver} asking
 * it, a {@link DnsFirewall} with the given policies, served by a {@link DnsServer} on 127.0.0.1 at a random port.
 * Runners are loopback addresses: 127.0.0.1, 127.0.0.2, ... each with its own policy.
 */
public final class LoopbackDnsGateway implements AutoCloseable {
    public final TinyAuthoritativeServer upstream;
    public final DnsBindingTable bindings;
    public final List<DnsQueryEvent> events = new CopyOnWriteArrayList<>();
    private final EventLoopGroup group;
    private final DnsServer server;

    private LoopbackDnsGateway(TinyAuthoritativeServer upstream, PolicyTable policies, IocList ioc,
            RateLimits rateLimits, Clock firewallClock) throws IOException {
        this.upstream = upstream;
        this.bindings = new DnsBindingTable(Clock.systemUTC(), BindingLimits.defaults());
        CachingResolver resolver = new CachingResolver(List.of(upstream.address()), Duration.ofSeconds(1), 1, 1000,
                Clock.systemUTC());
        DnsFirewall firewall = new DnsFirewall(() -> policies, () -> ioc, resolver, bindings, rateLimits,
                events::add, firewallClock);
        this.group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            this.server = DnsServer.start(group, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), firewall);
        } catch (IOException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    public static LoopbackDnsGateway start(TinyAuthoritativeServer upstream, PolicyTable policies, IocList ioc,
            RateLimits rateLimits, Clock firewallClock) throws IOException {
        return new LoopbackDnsGateway(upstream, policies, ioc, rateLimits, firewallClock);
    }

    public int port() {
        return server.udpAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.udpAddress();
    }

    /** The events about {@code qname}, in order. */
    public List<DnsQueryEvent> eventsFor(String qname) {
        return events.stream().filter(e -> e.qname().equals(qname)).toList();
    }

    @Override
    public void close() throws IOException {
        server.close();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        upstream.close();
    }
}
