package io.tollgate.gateway.attribution;

import com.google.common.net.InetAddresses;
import io.tollgate.gateway.events.ConnectionEvents;
import io.tollgate.gateway.events.Event;
import io.tollgate.gateway.events.EventSink;
import io.tollgate.policy.jobs.Job;
import io.tollgate.policy.jobs.JobView;
import java.time.Clock;
import java.util.Optional;

/**
 * Records a {@code kind: https} event per request an agent read from TLS, with the source's job and process. Verdict
 * {@code detect} with reason {@code https-foreign-org} when {@link ForeignOrgRule} matches; otherwise {@code allow}
 * with reason {@code observed}: the connection itself was decided (and recorded) by the data path, this event only
 * adds what was asked for inside it.
 */
public final class HttpsEvents {
    public static final String KIND = "https";

    private final String node;
    private final JobView jobs;
    private final EventSink events;
    private final Clock clock;

    public HttpsEvents(String node, JobView jobs, EventSink events, Clock clock) {
        this.node = node;
        this.jobs = jobs;
        this.events = events;
        this.clock = clock;
    }

    public void record(HttpsObservation o) {
        Optional<Job> job = jobs.at(o.source());
        String owner = job.map(j -> j.repo().contains("/") ? j.repo().substring(0, j.repo().indexOf('/')) : null)
                .orElse(null);
        Optional<String> foreign = ForeignOrgRule.check(o.method(), o.host(), o.path(), owner);
        events.record(new Event(
                ConnectionEvents.timestamp(clock.instant()),
                node,
                KIND,
                foreign.isPresent() ? "detect" : "allow",
                foreign.isPresent() ? "https-foreign-org" : "observed",
                Event.JobRef.of(job),
                InetAddresses.toAddrString(o.source()),
                o.destination() == null ? null : address(o),
                null,
                o.host(),
                null,
                null,
                null,
                null,
                o.process() == null ? null : o.process().toEvent(),
                new Event.Http(o.method(), o.path(), o.host()),
                null,
                null,
                foreign.orElse(null),
                null,
                null,
                null));
    }

    private static String address(HttpsObservation o) {
        String host = InetAddresses.toAddrString(o.destination());
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + o.destinationPort();
    }
}
