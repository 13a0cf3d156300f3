package io.tollgate.gateway.demo;

import io.tollgate.testbed.RecordedQuery;
import io.tollgate.testbed.RecordedRequest;
import java.util.List;

/**
 * What the sandbox's internet saw: connections to the fake internet's servers, queries that reached the gateway's
 * upstream resolver, and queries that reached the decoy resolver the runner's resolv.conf names (there must be none).
 */
record InternetLog(List<RecordedRequest> requests, List<RecordedQuery> upstreamQueries,
        List<RecordedQuery> decoyQueries) {
    InternetLog {
        requests = List.copyOf(requests);
        upstreamQueries = List.copyOf(upstreamQueries);
        decoyQueries = List.copyOf(decoyQueries);
    }
}
