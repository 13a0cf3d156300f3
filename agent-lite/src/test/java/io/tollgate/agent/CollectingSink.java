package io.tollgate.agent;

import io.tollgate.agent.report.AttributionSink;
import io.tollgate.agent.report.ConnectionAttribution;
import io.tollgate.agent.report.HttpsRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Keeps what the agent reported, for assertions. */
final class CollectingSink implements AttributionSink {
    final List<ConnectionAttribution> connections = new CopyOnWriteArrayList<>();
    final List<HttpsRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public void connection(ConnectionAttribution attribution) {
        connections.add(attribution);
    }

    @Override
    public void https(HttpsRequest request) {
        requests.add(request);
    }

    ConnectionAttribution awaitConnection(Predicate<ConnectionAttribution> match, Duration timeout) {
        return await(connections, match, timeout, "connection");
    }

    HttpsRequest awaitRequest(Predicate<HttpsRequest> match, Duration timeout) {
        return await(requests, match, timeout, "HTTPS request");
    }

    private static <T> T await(List<T> seen, Predicate<T> match, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (T t : seen) {
                if (match.test(t)) {
                    return t;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no matching " + what + " within " + timeout + "; saw " + seen);
    }
}
