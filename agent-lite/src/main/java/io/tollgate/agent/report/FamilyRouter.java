package io.tollgate.agent.report;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * A dual-stack runner's two reporters: the gateway accepts from an agent only records of the address it connects
 * from, so IPv6 connections go to the reporter that reaches the gateway over IPv6 and the rest to the IPv4 one.
 */
public final class FamilyRouter implements AttributionSink {
    private final AttributionSink ipv4;
    private final AttributionSink ipv6;

    public FamilyRouter(AttributionSink ipv4, AttributionSink ipv6) {
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
    }

    @Override
    public void connection(ConnectionAttribution attribution) {
        to(attribution.tuple().source()).connection(attribution);
    }

    @Override
    public void https(HttpsRequest request) {
        to(request.tuple() == null ? null : request.tuple().source()).https(request);
    }

    private AttributionSink to(InetAddress source) {
        return source instanceof Inet6Address ? ipv6 : ipv4;
    }
}
