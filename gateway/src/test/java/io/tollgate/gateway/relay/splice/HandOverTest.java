package io.tollgate.gateway.relay.splice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.tollgate.gateway.accept.RunnerConnection;
import io.tollgate.gateway.accept.TransparentListener;
import io.tollgate.gateway.inspect.Peek;
import io.tollgate.testbed.RootCheck;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-over from the peek to the relay on real loopback sockets: whatever the runner sends or ends while its
 * connection is being decided must reach the upstream once the relay takes the socket over, although the socket's
 * edge-triggered readiness for it was reported to the peek, not to the relay.
 */
class HandOverTest {
    private static final byte[] HEAD = "GET / HTTP/1.1\r\nHost: upstream.example.test\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    record Decided(RunnerConnection connection, ByteBuf firstBytes) {}

    private final BlockingQueue<Decided> decided = new LinkedBlockingQueue<>();
    private EventLoopGroup group;
    private TransparentListener listener;
    private ServerSocket upstream;
    private SpliceRelay relay;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(RootCheck.isRoot(), "IP_TRANSPARENT needs CAP_NET_ADMIN; " + RootCheck.skipReason());
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        listener = TransparentListener.bind(group, new InetSocketAddress("127.0.0.1", 0),
                connection -> Peek.start(connection, Duration.ofSeconds(30), 4096,
                        (client, facts, firstBytes) -> decided.add(new Decided(client, firstBytes))));
        upstream = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        relay = new SpliceRelay(Duration.ofSeconds(5), (up, down) -> { });
    }

    @AfterEach
    void stop() throws IOException {
        if (upstream != null) {
            upstream.close();
        }
        if (listener != null) {
            listener.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void bytesSentWhileTheConnectionIsDecidedReachTheUpstream() throws Exception {
        try (Socket client = new Socket()) {
            client.connect(listener.address());
            OutputStream out = client.getOutputStream();
            out.write(HEAD);
            Decided d = next();
            out.write("body sent while the decision is pending".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(200); // its readiness is reported to the peek, which has stopped reading
            startRelay(d);

            try (Socket server = upstream.accept()) {
                server.setSoTimeout(10_000);
                String expected = new String(HEAD, StandardCharsets.US_ASCII)
                        + "body sent while the decision is pending";
                byte[] got = server.getInputStream().readNBytes(expected.length());
                assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo(expected);
            }
        }
    }

    @Test
    void anEndSentWhileTheConnectionIsDecidedReachesTheUpstreamAfterEveryByte() throws Exception {
        try (Socket client = new Socket()) {
            client.connect(listener.address());
            client.getOutputStream().write(HEAD);
            Decided d = next();
            client.getOutputStream().write('!');
            client.shutdownOutput();
            Thread.sleep(200);
            startRelay(d);

            try (Socket server = upstream.accept()) {
                server.setSoTimeout(10_000);
                byte[] all = server.getInputStream().readAllBytes(); // returns only at the relayed FIN
                assertThat(new String(all, StandardCharsets.US_ASCII))
                        .isEqualTo(new String(HEAD, StandardCharsets.US_ASCII) + "!");
            }
        }
    }

    @Test
    void theBookkeepingRunsOnceWhenTheFirstBytesAreOut() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (Socket client = new Socket()) {
            client.connect(listener.address());
            client.getOutputStream().write(HEAD);
            startRelay(next(), upstreamAddress(), runs::incrementAndGet);

            try (Socket server = upstream.accept()) {
                server.setSoTimeout(10_000);
                assertThat(server.getInputStream().readNBytes(HEAD.length)).isEqualTo(HEAD);
                awaitOneRun(runs); // while the connection is still open: not deferred to its end
                client.close();
                assertThat(server.getInputStream().read()).isEqualTo(-1);
            }
        }
        Thread.sleep(200); // the relay has closed both sockets by now: closing must not run it again
        assertThat(runs).hasValue(1);
    }

    @Test
    void theBookkeepingRunsWhenTheUpstreamRefusesTheConnection() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress(InetAddress.getLoopbackAddress(), gone.getLocalPort());
        }
        AtomicInteger runs = new AtomicInteger();
        try (Socket client = new Socket()) {
            client.connect(listener.address());
            client.setSoTimeout(10_000);
            client.getOutputStream().write(HEAD);
            startRelay(next(), closed, runs::incrementAndGet);

            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
        }
        awaitOneRun(runs);
    }

    private static void awaitOneRun(AtomicInteger runs) throws InterruptedException {
        for (int i = 0; i < 100 && runs.get() == 0; i++) {
            Thread.sleep(50);
        }
        assertThat(runs).as("runs of the relay's after-first-bytes hook").hasValue(1);
    }

    private Decided next() throws InterruptedException {
        Decided d = decided.poll(10, TimeUnit.SECONDS);
        assertThat(d).as("the peek handed no connection over within 10 s").isNotNull();
        return d;
    }

    private InetSocketAddress upstreamAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), upstream.getLocalPort());
    }

    private void startRelay(Decided d) {
        startRelay(d, upstreamAddress(), () -> { });
    }

    private void startRelay(Decided d, InetSocketAddress to, Runnable afterFirstBytes) {
        d.connection().loop().submit(() -> relay.relay(d.connection(), to, d.firstBytes(), afterFirstBytes))
                .syncUninterruptibly();
    }
}
