package io.tollgate.policy.endpoint;

import java.util.List;

/** The parsed allowed endpoints of one policy, with named sets already expanded. */
public record EndpointList(List<HostEndpoint> hosts, List<CidrEndpoint> cidrs) {

    public EndpointList {
        hosts = List.copyOf(hosts);
        cidrs = List.copyOf(cidrs);
    }

    public static EndpointList empty() {
        return new EndpointList(List.of(), List.of());
    }
}
