package io.tollgate.testbed;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.Mapping;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Web and TCP servers on many names and addresses inside a {@link Topology}'s internet namespace. Each name gets
 * its own certificate from the {@link TestCa}; names sharing an address (a CDN) are told apart by SNI, and a
 * ClientHello without a known SNI gets the address's first name. Every connection, ClientHello and HTTP request
 * is recorded.
 */
public final class FakeInternet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FakeInternet.class);

    private final Topology topology;
    private final TestCa ca;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    private final Map<String, Set<String>> namesByIp = new ConcurrentHashMap<>();
    private final Map<String, SslContext> tlsContexts = new ConcurrentHashMap<>();
    private final Map<String, Channel> listeners = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Set<String> http2Addresses = ConcurrentHashMap.newKeySet();

    private FakeInternet(Topology topology, TestCa ca) {
        this.topology = topology;
        this.ca = ca;
    }

    public static FakeInternet start(Topology topology, TestCa ca) {
        return new FakeInternet(topology, ca);
    }

    /** Registers {@code name} at {@code ip}; the first name on an address also starts TLS on 443 and HTTP on 80. */
    public FakeInternet host(String name, String ip) {
        boolean newAddress = !namesByIp.containsKey(ip);
        namesByIp.computeIfAbsent(ip, key -> new CopyOnWriteArraySet<>()).add(name.toLowerCase(Locale.ROOT));
        if (newAddress && !listeners.containsKey(endpoint(ip, 443))) {
            serveTls(ip, 443);
        }
        if (newAddress && !listeners.containsKey(endpoint(ip, 80))) {
            serveHttp(ip, 80);
        }
        return this;
    }

    /**
     * Like {@link #host}, but its HTTPS on 443 offers ALPN {@code h2} before {@code http/1.1} (curl then speaks
     * HTTP/2). Requests over HTTP/2 are recorded like HTTP/1 ones, with {@code host} from {@code :authority}.
     */
    public FakeInternet hostHttp2(String name, String ip) {
        if (!namesByIp.containsKey(ip)) {
            http2Addresses.add(ip);
        }
        return host(name, ip);
    }

    /** HTTPS (ALPN http/1.1) on ip:port, certificate chosen by SNI among the names registered at ip. */
    public void serveTls(String ip, int port) {
        boolean http2 = http2Addresses.contains(ip);
        Mapping<String, SslContext> certificateBySni = sni -> tlsContext(ip, sni, http2);
        listen(ip, port, pipeline -> {
            pipeline.addLast(new SniHandler(certificateBySni));
            if (http2) {
                pipeline.addLast(new Http2OrHttp1(ip, port));
            } else {
                addHttp(pipeline, ip, port);
            }
        });
    }

    /** After the TLS handshake: HTTP/2 streams (each through the HTTP/1 object codec) or plain HTTP/1.1. */
    private final class Http2OrHttp1 extends ApplicationProtocolNegotiationHandler {
        private final String ip;
        private final int port;

        Http2OrHttp1(String ip, int port) {
            super(ApplicationProtocolNames.HTTP_1_1);
            this.ip = ip;
            this.port = port;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                ctx.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                        new Http2MultiplexHandler(new ChannelInitializer<>() {
                            @Override
                            protected void initChannel(Channel stream) {
                                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                                        new HttpResponder(ip, port, requests::add));
                            }
                        }));
            } else {
                addHttp(ctx.pipeline(), ip, port);
            }
        }
    }

    /** Plain HTTP on ip:port. */
    public void serveHttp(String ip, int port) {
        listen(ip, port, pipeline -> addHttp(pipeline, ip, port));
    }

    /** Raw TCP on ip:port: sends {@code SSH-2.0-testbed\r\n}, then echoes. */
    public void serveEcho(String ip, int port) {
        listen(ip, port, pipeline -> pipeline.addLast(new EchoResponder()));
    }

    /** Every connection, ClientHello and HTTP request that reached a server so far, in arrival order. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Every name registered with {@link #host}, with its addresses (for {@link FakeDns#mirror}). */
    public Map<String, List<String>> addressesByName() {
        var addresses = new TreeMap<String, List<String>>();
        namesByIp.forEach((ip, names) -> names.forEach(name ->
                addresses.computeIfAbsent(name, key -> new ArrayList<>()).add(ip)));
        return addresses;
    }

    /** Stops all servers (the addresses stay until the topology closes). */
    @Override
    public void close() {
        listeners.values().forEach(Channel::close);
        if (!group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS)) {
            log.warn("fake internet event loops did not stop within 5 s");
        }
    }

    private void addHttp(ChannelPipeline pipeline, String ip, int port) {
        pipeline.addLast(new HttpServerCodec(),
                new HttpServerKeepAliveHandler(),
                new HttpServerExpectContinueHandler(),
                new ChunkedWriteHandler(),
                new HttpResponder(ip, port, requests::add));
    }

    private SslContext tlsContext(String ip, String sni, boolean http2) {
        Set<String> names = namesByIp.getOrDefault(ip, Set.of());
        String name = sni != null && names.contains(sni) ? sni : names.stream().findFirst().orElse(null);
        return tlsContexts.computeIfAbsent(ip + " " + name, key -> {
            ServerIdentity identity = ca.issue(name == null ? List.of() : List.of(name), List.of(ip));
            return http2 ? identity.http2ServerContext() : identity.http11ServerContext();
        });
    }

    private static String endpoint(String ip, int port) {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }

    /** Binds inside the internet namespace (the listening socket is created on a thread that entered it). */
    private void listen(String ip, int port, Consumer<ChannelPipeline> pipeline) {
        String endpoint = endpoint(ip, port);
        if (listeners.containsKey(endpoint)) {
            throw new TestbedException("fake internet already serves " + endpoint);
        }
        topology.addInternetAddress(ip);
        var bootstrap = new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        requests.add(new RecordedRequest(ip, port, null, null, RecordedRequest.TCP_CONNECT, null));
                        pipeline.accept(channel.pipeline());
                    }
                });
        Channel listener = topology.internet().call(() -> {
            try {
                return bootstrap.bind(InetAddress.getByName(ip), port).sync().channel();
            } catch (Exception e) {
                throw new TestbedException("cannot listen on " + endpoint + " in " + topology.internet() + ": " + e, e);
            }
        });
        listeners.put(endpoint, listener);
        log.debug("fake internet serves {}", endpoint);
    }
}
