package io.tollgate.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A TCP port on loopback that was free a moment ago, for servers that cannot bind port 0 themselves (Hazelcast).
 * Tests of several checkouts run side by side on one machine, so a fixed port would collide.
 */
public final class FreePort {
    private FreePort() {}

    public static int onLoopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on loopback", e);
        }
    }
}
