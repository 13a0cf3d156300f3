package io.tollgate.gateway.attribution;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;

/** The key of one connection in {@value AttributionStore#MAP}: protocol and 5-tuple as the runner sees it. */
public final class ConnectionKey {
    private ConnectionKey() {}

    public static String of(String protocol, InetAddress source, int sourcePort, InetAddress destination,
            int destinationPort) {
        return protocol + " " + InetAddresses.toAddrString(source) + " " + sourcePort + " "
                + InetAddresses.toAddrString(destination) + " " + destinationPort;
    }
}
