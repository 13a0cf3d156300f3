package io.tollgate.gateway.accept;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.tollgate.gateway.decide.ConnectionFacts;
import io.tollgate.gateway.decide.Protocol;
import io.tollgate.gateway.inspect.Peek;
import io.tollgate.gateway.sockets.Libc;
import io.tollgate.testbed.ClientHellos;
import io.tollgate.testbed.RootCheck;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The accept path on real loopback sockets: the listening socket shared by the group's event loops, and the peek that
 * reads each connection's first bytes up to the point where the destination is named, and not further.
 */
class TransparentListenerTest {
    private static final Duration LONG_PEEK = Duration.ofSeconds(30);
    private static final int MAX_PEEK = 64 * 1024 + 80;

    record Handed(RunnerConnection connection, ConnectionFacts facts, int bytes, boolean onItsLoop) {}

    private final BlockingQueue<Handed> handed = new LinkedBlockingQueue<>();
    private final List<Socket> clients = new ArrayList<>();
    private EventLoopGroup group;
    private TransparentListener listener;

    @BeforeEach
    void start() {
        assumeTrue(RootCheck.isRoot(), "IP_TRANSPARENT needs CAP_NET_ADMIN; " + RootCheck.skipReason());
        group = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
        if (listener != null) {
            listener.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        for (Handed h : handed) {
            h.connection().socket().close(false);
        }
    }

    private void listen(Duration peekTimeout) throws ListenerException {
        listener = TransparentListener.bind(group, new InetSocketAddress("127.0.0.1", 0),
                connection -> Peek.start(connection, peekTimeout, MAX_PEEK, (client, facts, firstBytes) -> {
                    handed.add(new Handed(client, facts, firstBytes.readableBytes(), client.loop().inEventLoop()));
                    firstBytes.release();
                }));
    }

    private Socket connect() throws IOException {
        Socket client = new Socket();
        clients.add(client);
        client.connect(listener.address());
        return client;
    }

    private Handed next() throws InterruptedException {
        Handed h = handed.poll(10, TimeUnit.SECONDS);
        assertTrue(h != null, "no connection was handed over within 10 s");
        return h;
    }

    @Test
    void aClientHelloIsHandedOverWithItsNameAndBothAddresses() throws Exception {
        listen(LONG_PEEK);
        Socket client = connect();
        byte[] hello = ClientHellos.jdk("api.example.test");
        client.getOutputStream().write(hello);

        Handed h = next();
        assertEquals(Protocol.TLS, h.facts().protocol());
        assertEquals("api.example.test", h.facts().name());
        assertEquals(hello.length, h.bytes());
        assertEquals(client.getLocalSocketAddress(), h.connection().runner());
        assertEquals(listener.address(), h.connection().destination());
        assertTrue(h.onItsLoop(), "the facts must arrive on the event loop that accepted the connection");
    }

    @Test
    void bytesSentAfterTheHelloStayInTheSocketForTheRelay() throws Exception {
        listen(LONG_PEEK);
        Socket client = connect();
        byte[] hello = ClientHellos.jdk("api.example.test");
        OutputStream out = client.getOutputStream();
        out.write(hello);
        Handed h = next();
        out.write(new byte[] {1, 2, 3});
        out.flush();

        assertEquals(hello.length, h.bytes());
        long received = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment rest = arena.allocate(16);
            for (int i = 0; i < 100 && received < 3; i++) {
                received += Math.max(0, Libc.recv(h.connection().socket().intValue(), rest.address() + received,
                        16 - received));
                Thread.sleep(20);
            }
        }
        assertEquals(3, received, "the three bytes after the hello must still be in the runner's socket");
    }

    @Test
    void aClientThatHalfClosesMidHeaderIsJudgedOnWhatItSentWithoutWaitingForTheTimeout() throws Exception {
        listen(LONG_PEEK);
        Socket client = connect();
        client.getOutputStream().write("GET / HTTP/1.1\r\nHo".getBytes());
        client.shutdownOutput();

        Handed h = next();
        assertEquals(Protocol.OPAQUE, h.facts().protocol());
        assertNull(h.facts().name());
        assertEquals(18, h.bytes());
        assertTrue(h.facts().malformed().contains("18 bytes"), h.facts().malformed());
    }

    @Test
    void aSilentClientIsHandedOverAtThePeekTimeoutAsOpaque() throws Exception {
        listen(Duration.ofMillis(200));
        connect();

        Handed h = next();
        assertEquals(Protocol.OPAQUE, h.facts().protocol());
        assertEquals(0, h.bytes());
        assertNull(h.facts().malformed());
    }

    @Test
    void manyConnectionsAreAllAcceptedAndEachStaysOnItsLoop() throws Exception {
        listen(LONG_PEEK);
        byte[] hello = ClientHellos.jdk("many.example.test");
        for (int i = 0; i < 200; i++) {
            connect().getOutputStream().write(hello);
        }
        for (int i = 0; i < 200; i++) {
            Handed h = next();
            assertEquals("many.example.test", h.facts().name());
            assertTrue(h.onItsLoop());
        }
    }

    @Test
    void aClosedListenerAcceptsNoMoreButKeepsWhatItAccepted() throws Exception {
        listen(LONG_PEEK);
        Socket first = connect();
        first.getOutputStream().write(ClientHellos.jdk("first.example.test"));
        Handed h = next();
        InetSocketAddress address = listener.address();
        listener.close();
        listener = null;

        try (Socket refused = new Socket()) {
            assertTrue(refusedOrReset(refused, address), "a closed listener must not accept");
        }
        assertTrue(h.connection().isOpen(), "an accepted connection must outlive the listener");
    }

    @Test
    void runningOutOfDescriptorsPausesAcceptingAndTheWaitingConnectionsAreTakenOnceThereAreSome() throws Exception {
        listen(Duration.ofMillis(100));
        String pid = Long.toString(ProcessHandle.current().pid());
        String[] limits = run("prlimit", "--pid", pid, "--nofile", "--noheadings", "--output=SOFT,HARD").strip()
                .split("\\s+");
        // Another process lowers this JVM's descriptor limit so that only three more descriptors fit, opens twenty
        // connections (its own descriptors), and restores the limit a second later; this JVM starts no process
        // meanwhile, which would need descriptors itself. Until then, accept fails with EMFILE. The limit is on the
        // descriptor's number, and a new descriptor takes the lowest free one: earlier tests leave holes below the
        // highest, so the limit is the fourth free number, found at that moment (the JVM may still be closing sockets).
        String script = "sleep 0.5; used=\" $(ls /proc/%s/fd | tr '\\n' ' ')\"; free=0; n=0;"
                + " while :; do case \"$used\" in *\" $n \"*) ;; *) free=$((free + 1)); [ $free -eq 4 ] && break;; esac;"
                + " n=$((n + 1)); done; prlimit --pid %s --nofile=$n:%s;"
                + " for i in $(seq 20); do exec {fd}<>/dev/tcp/127.0.0.1/%d; done; sleep 1;"
                + " echo held=$(ls /proc/%s/fd | wc -l); prlimit --pid %s --nofile=%s:%s; sleep 5";
        Process clients = new ProcessBuilder("bash", "-c", script.formatted(pid, pid, limits[1],
                listener.address().getPort(), pid, pid, limits[0], limits[1])).redirectErrorStream(true).start();
        try {
            Thread.sleep(1_200);
            assertTrue(handed.size() < 20, "with the descriptors exhausted not every connection can be accepted ("
                    + handed.size() + " were)");
            for (int i = 0; i < 20; i++) {
                assertTrue(handed.poll(10, TimeUnit.SECONDS) != null,
                        "connection " + (i + 1) + " of 20 was not accepted after the limit was restored");
            }
        } finally {
            clients.destroy();
            run("prlimit", "--pid", pid, "--nofile=" + limits[0] + ":" + limits[1]);
        }
    }

    private static String run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
        return out;
    }

    private static boolean refusedOrReset(Socket socket, InetSocketAddress address) {
        try {
            socket.connect(address, 2_000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
