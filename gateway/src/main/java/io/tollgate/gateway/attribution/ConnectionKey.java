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

    /** The source address of a key made by {@link #of}. */
    static String source(String key) {
        int start = key.indexOf(' ') + 1;
        int end = key.indexOf(' ', start);
        return end < 0 ? key.substring(start) : key.substring(start, end);
    }
}
