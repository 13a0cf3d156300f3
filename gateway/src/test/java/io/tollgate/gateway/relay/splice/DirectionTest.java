package io.tollgate.gateway.relay.splice;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One direction of the relay between real loopback TCP sockets: the runner's side writes into {@code source}'s peer,
 * the relay moves bytes from {@code source} to {@code destination}, a reader takes them from {@code destination}'s
 * peer. Pumping is non-blocking, so the test calls it until the direction reports it has finished.
 */
class DirectionTest {
    private final RelayLoop loop = new RelayLoop();
    private ServerSocket server;
    private java.net.Socket sourcePeer;
    private java.net.Socket destinationPeer;
    private Socket source;
    private Socket destination;

    @BeforeEach
    void connect() throws Exception {
        Epoll.ensureAvailability();
        server = new ServerSocket(0, 2, InetAddress.getLoopbackAddress());
        source = connectTo(server);
        sourcePeer = server.accept();
        destination = connectTo(server);
        destinationPeer = server.accept();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {sourcePeer, destinationPeer, server}) {
            c.close();
        }
        source.close();
        destination.close();
        loop.close();
    }

    @Test
    void aSmallMessageIsCopiedAndTheEndFollowsIt() throws Exception {
        Direction d = new Direction(source.intValue(), destination.intValue());
        sourcePeer.getOutputStream().write("ClientHello".getBytes());
        sourcePeer.shutdownOutput();
        pumpUntilFinished(d);
        assertThat(destinationPeer.getInputStream().readAllBytes()).isEqualTo("ClientHello".getBytes());
        assertThat(d.moved()).isEqualTo(11);
    }

    @Test
    void aDestinationThatDoesNotReadHoldsTheBytesBackAndLosesNone() throws Exception {
        destination.setSendBufferSize(4096);
        byte[] sent = randomBytes(3 * 1024 * 1024);
        Direction d = new Direction(source.intValue(), destination.intValue());
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeAndEnd(sent));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!d.waiting() && System.nanoTime() < until) {
            d.pump(loop, false, false);
        }
        assertThat(d.waiting()).as("bytes wait for the reader instead of being read without limit").isTrue();
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(this::readAll);
        pumpUntilFinished(d);
        writer.get(10, TimeUnit.SECONDS);
        assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo(sent);
        assertThat(d.moved()).isEqualTo(sent.length);
    }

    @Test
    void smallMessagesTheDestinationCannotTakeWaitAndFollowInOrder() throws Exception {
        destination.setSendBufferSize(4096);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        Direction d = new Direction(source.intValue(), destination.intValue());
        Random random = new Random(7);
        for (int i = 0; i < 20_000 && !d.waiting(); i++) {
            byte[] message = new byte[1 + random.nextInt(1200)]; // far below the copy buffer: never bulk
            random.nextBytes(message);
            sourcePeer.getOutputStream().write(message);
            sent.write(message);
            d.pump(loop, true, false);
        }
        assertThat(d.waiting()).as("a full destination leaves bytes waiting").isTrue();
        sourcePeer.shutdownOutput();
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(this::readAll);
        pumpUntilFinished(d);
        assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo(sent.toByteArray());
    }

    @Test
    void bulkDataArrivesIntactThroughThePipe() throws Exception {
        byte[] sent = randomBytes(8 * 1024 * 1024);
        Direction d = new Direction(source.intValue(), destination.intValue());
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeAndEnd(sent));
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(this::readAll);
        pumpUntilFinished(d);
        writer.get(10, TimeUnit.SECONDS);
        assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo(sent);
    }

    private void pumpUntilFinished(Direction d) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!d.finished()) {
            assertThat(System.nanoTime()).as("the direction finishes (%d bytes moved, bytes waiting: %s)", d.moved(),
                    d.waiting()).isLessThan(until);
            d.pump(loop, false, false);
            Thread.onSpinWait();
        }
        d.release(loop.pipes());
    }

    private void writeAndEnd(byte[] bytes) {
        try {
            sourcePeer.getOutputStream().write(bytes);
            sourcePeer.shutdownOutput();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] readAll() {
        try (InputStream in = destinationPeer.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static Socket connectTo(ServerSocket server) throws Exception {
        Socket s = Socket.newSocketStream();
        InetSocketAddress at = new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        boolean connected = s.connect(at);
        while (!connected && System.nanoTime() < until) {
            Thread.sleep(1);
            connected = s.finishConnect();
        }
        assertThat(connected).isTrue();
        return s;
    }
}
