package io.tollgate.gateway.inspect;

import com.google.common.net.InetAddresses;
import io.tollgate.gateway.decide.ConnectionFacts;
import io.tollgate.gateway.decide.Protocol;
import io.tollgate.sni.ClientHello;
import io.tollgate.sni.HttpRequestHead;
import io.tollgate.sni.Inspection;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Turns what the sni-inspector saw in the first bytes into the facts the decision needs. */
public final class FactsReader {
    private FactsReader() {}

    /**
     * @param inspection the last outcome of the inspector; {@code NeedMore} when the peek ended (timeout, cap, or the
     *     client half-closed) before the inspector could decide
     * @param bytesSeen how many bytes the client sent before the decision
     */
    public static ConnectionFacts read(InetAddress source, InetSocketAddress destination, Inspection inspection,
            int bytesSeen) {
        return switch (inspection) {
            case Inspection.TlsHello(ClientHello hello) -> new ConnectionFacts(source, destination, Protocol.TLS,
                    hostName(hello.serverName()), hello.encryptedClientHello(), null, null, null);
            case Inspection.HttpHead(HttpRequestHead head) -> new ConnectionFacts(source, destination, Protocol.HTTP,
                    hostName(head.host()), false, null, head.method(), head.target());
            case Inspection.Malformed(String protocol, String reason) -> new ConnectionFacts(source, destination,
                    "tls".equals(protocol) ? Protocol.TLS : Protocol.HTTP, null, false, reason, null, null);
            case Inspection.Unrecognized u -> opaque(source, destination);
            case Inspection.NeedMore n -> bytesSeen == 0
                    ? opaque(source, destination)
                    : new ConnectionFacts(source, destination, Protocol.OPAQUE, null, false,
                            "the client sent " + bytesSeen + " bytes that did not complete a TLS or HTTP header in time",
                            null, null);
        };
    }

    private static ConnectionFacts opaque(InetAddress source, InetSocketAddress destination) {
        return new ConnectionFacts(source, destination, Protocol.OPAQUE, null, false, null, null, null);
    }

    /** An IP literal is not a name: judging it as one would let a client vouch for its own destination. */
    private static String hostName(String name) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        String bare = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
        return InetAddresses.isInetAddress(bare) ? null : name;
    }
}
