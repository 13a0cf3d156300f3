package io.tollgate.bench.macro;

import io.tollgate.testbed.ClientHellos;
import io.tollgate.testbed.NetNs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The client side of the idle-connections workload: {@code count} TCP connections from the runner namespace to
 * {@code ip:443}, each sending one real ClientHello for {@code host} (made once by the JDK's TLS stack) and reading
 * the first bytes of the server's answer, which proves that the middlebox relayed it; then silent. The rest of the
 * server's handshake stays unread in the runner's kernel, so the middlebox holds {@code count} established, relayed,
 * idle connections until {@link #close()}. The sockets are made by platform threads started inside the namespace.
 */
final class IdleConnections implements AutoCloseable {
    private static final int THREADS = 32;
    private static final int READ_TIMEOUT_MILLIS = 20_000;

    private final List<SocketChannel> open;

    private IdleConnections(List<SocketChannel> open) {
        this.open = open;
    }

    static IdleConnections open(NetNs runner, String ip, String host, int count) {
        byte[] hello = ClientHellos.jdk(host);
        InetSocketAddress server = new InetSocketAddress(ip, 443);
        return new IdleConnections(runner.call(() -> {
            List<SocketChannel> channels = new ArrayList<>(count);
            ExecutorService threads = Executors.newFixedThreadPool(THREADS); // created here: in the namespace
            try {
                List<Future<SocketChannel>> opening = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    opening.add(threads.submit(() -> relayed(server, hello)));
                }
                for (Future<SocketChannel> f : opening) {
                    channels.add(f.get());
                }
                return channels;
            } catch (ExecutionException e) {
                closeAll(channels);
                throw new BenchmarkFailure("opening " + count + " idle connections to " + server + " failed after "
                        + channels.size() + ": " + e.getCause().getMessage(), e.getCause());
            } finally {
                threads.shutdownNow();
            }
        }));
    }

    int size() {
        return open.size();
    }

    @Override
    public void close() {
        closeAll(open);
    }

    private static void closeAll(List<SocketChannel> channels) {
        for (SocketChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing a socket the middlebox already reset: nothing left to release
            }
        }
    }

    private static SocketChannel relayed(InetSocketAddress server, byte[] hello) throws IOException {
        SocketChannel channel = SocketChannel.open(server);
        try {
            channel.write(ByteBuffer.wrap(hello));
            channel.socket().setSoTimeout(READ_TIMEOUT_MILLIS);
            byte[] first = new byte[2];
            int n = channel.socket().getInputStream().readNBytes(first, 0, 2);
            if (n != 2 || first[0] != 0x16 || first[1] != 0x03) {
                throw new IOException("the server's answer does not start with a TLS handshake record (" + n
                        + " bytes read): the connection was not relayed");
            }
            return channel;
        } catch (SocketTimeoutException e) {
            channel.close();
            throw new IOException("no answer from the server within " + READ_TIMEOUT_MILLIS + " ms", e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
