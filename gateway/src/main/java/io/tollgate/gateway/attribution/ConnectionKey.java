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

    /**
     * The key of a UDP flow by its source alone, {@code udp SRC SPORT}: what the dns-firewall knows of a query (the
     * runner's resolver address was rewritten by the redirect). A UDP source port belongs to one socket at a time.
     */
    public static String udpSource(InetAddress source, int sourcePort) {
        return "udp " + InetAddresses.toAddrString(source) + " " + sourcePort;
    }

    /** For a UDP key made by {@link #of}, its {@link #udpSource} form; otherwise {@code null}. */
    static String udpSourceOf(String key) {
        if (!key.startsWith("udp ")) {
            return null;
        }
        int afterSource = key.indexOf(' ', 4);
        int afterPort = afterSource < 0 ? -1 : key.indexOf(' ', afterSource + 1);
        return afterPort < 0 ? null : key.substring(0, afterPort);
    }

    /** The source address of a key made by {@link #of} or {@link #udpSource}. */
    static String source(String key) {
        int start = key.indexOf(' ') + 1;
        int end = key.indexOf(' ', start);
        return end < 0 ? key.substring(start) : key.substring(start, end);
    }
}
