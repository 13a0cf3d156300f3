package io.tollgate.gateway.cli;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * The runner's own address as the gateway sees it: the source address the kernel picks for the route to the gateway
 * (a connected UDP socket; nothing is sent).
 */
final class RunnerAddress {
    private RunnerAddress() {}

    static InetAddress toward(URI gateway) throws CliException {
        try (DatagramSocket probe = new DatagramSocket()) {
            int port = gateway.getPort() > 0 ? gateway.getPort() : 443;
            probe.connect(new InetSocketAddress(InetAddress.getByName(gateway.getHost()), port));
            InetAddress local = probe.getLocalAddress();
            if (local == null || local.isAnyLocalAddress()) {
                throw new CliException("no route to the gateway " + gateway.getHost() + "; pass --ip");
            }
            return local;
        } catch (UnknownHostException e) {
            throw new CliException("cannot resolve the gateway host " + gateway.getHost());
        } catch (IOException e) {
            throw new CliException("cannot find the route to the gateway " + gateway.getHost() + ": " + e.getMessage()
                    + "; pass --ip");
        }
    }

    static InetAddress parse(String ip) throws CliException {
        if (!InetAddresses.isInetAddress(ip)) {
            throw new CliException("--ip '" + ip + "' is not an IP address");
        }
        return InetAddresses.forString(ip);
    }
}
