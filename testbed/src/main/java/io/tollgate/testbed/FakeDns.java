package io.tollgate.testbed;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;

/**
 * An authoritative DNS server on UDP and TCP port 53 of one address in a {@link Topology}'s internet namespace,
 * answering from records added with {@link #a}, {@link #cname} and {@link #txt}. It is authoritative for every
 * name: unknown names get NXDOMAIN with the SOA of the root zone. Recursion is not offered. Every query is
 * recorded.
 */
public final class FakeDns implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FakeDns.class);
    private static final int PORT = 53;
    private static final int MAX_TCP_MESSAGE = 65535;
    private static final int MAX_TXT_STRING = 255;

    private final String ip;
    private final DnsRecords records = new DnsRecords();
    private final List<RecordedQuery> queries = new CopyOnWriteArrayList<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private volatile long ttl = 60;

    private FakeDns(String ip) {
        this.ip = ip;
    }

    /** Adds {@code ip} to the internet namespace and serves DNS on UDP and TCP port 53 there. */
    public static FakeDns start(Topology topology, String ip) {
        var dns = new FakeDns(ip);
        try {
            dns.listen(topology);
        } catch (RuntimeException e) {
            dns.close();
            throw e;
        }
        return dns;
    }

    /** A records for IPv4 and AAAA records for IPv6 addresses; adding to a name appends. */
    public FakeDns a(String name, String... ips) {
        Name owner = DnsRecords.name(name);
        for (String address : ips) {
            InetAddress literal = literal(address);
            records.add(literal instanceof Inet4Address
                    ? new ARecord(owner, DClass.IN, ttl, literal)
                    : new AAAARecord(owner, DClass.IN, ttl, literal));
        }
        return this;
    }

    /** {@code alias} is a CNAME for {@code target}; a name with a CNAME holds no other record. */
    public FakeDns cname(String alias, String target) {
        records.add(new CNAMERecord(DnsRecords.name(alias), DClass.IN, ttl, DnsRecords.name(target)));
        return this;
    }

    /** A TXT record; text longer than 255 characters becomes several strings of one record. */
    public FakeDns txt(String name, String text) {
        var strings = new ArrayList<String>();
        for (int start = 0; start < text.length() || strings.isEmpty(); start += MAX_TXT_STRING) {
            strings.add(text.substring(start, Math.min(text.length(), start + MAX_TXT_STRING)));
        }
        records.add(new TXTRecord(DnsRecords.name(name), DClass.IN, ttl, strings));
        return this;
    }

    /** The TTL, in seconds, of records added after this call (60 until set). */
    public FakeDns ttl(long seconds) {
        ttl = seconds;
        return this;
    }

    /** Adds A/AAAA records for every name registered with {@link FakeInternet#host} so far. */
    public FakeDns mirror(FakeInternet internet) {
        internet.addressesByName().forEach((name, addresses) -> a(name, addresses.toArray(String[]::new)));
        return this;
    }

    /** Every query that arrived so far, in arrival order, including those whose answer could not be sent back. */
    public List<RecordedQuery> queries() {
        return List.copyOf(queries);
    }

    public String ip() {
        return ip;
    }

    /** Stops serving and frees UDP and TCP port 53 on {@link #ip()} (the address stays until the topology closes). */
    @Override
    public void close() {
        listeners.forEach(listener -> listener.close().awaitUninterruptibly());
        if (!group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS)) {
            log.warn("fake DNS event loop on {} did not stop within 5 s", ip);
        }
    }

    private void listen(Topology topology) {
        InetAddress address = literal(ip);
        topology.addInternetAddress(ip);
        var responder = new DnsResponder(records, queries::add);
        var udp = new Bootstrap()
                .group(group)
                .channel(EpollDatagramChannel.class)
                .handler(new DnsUdpHandler(responder));
        var tcp = new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_TCP_MESSAGE, 0, 2, 0, 2),
                                new LengthFieldPrepender(2),
                                new DnsTcpHandler(responder));
                    }
                });
        topology.internet().call(() -> {
            try {
                listeners.add(udp.bind(address, PORT).sync().channel());
                listeners.add(tcp.bind(address, PORT).sync().channel());
                return null;
            } catch (Exception e) {
                throw new TestbedException("cannot serve DNS on " + ip + ":" + PORT + " in " + topology.internet() + ": " + e, e);
            }
        });
        log.debug("fake DNS serves {}:{} (udp, tcp)", ip, PORT);
    }

    /** Parses an address literal; never looks a name up. */
    private static InetAddress literal(String address) {
        try {
            return Address.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + address, e);
        }
    }
}
