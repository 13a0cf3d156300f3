package io.tollgate.dns.resolve;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The gateway's resolver: answers from a bounded cache that honours TTLs, otherwise asks the upstream servers (in
 * order, with timeouts and retries) once per question however many runners ask at the same moment. A name asked for
 * in the last tenth of its TTL is answered from the cache and fetched again in the background, so a name in use
 * never makes a runner's query or the gateway's own check of a connection wait for the upstream. Never fails and
 * never hangs: an unanswerable question completes with SERVFAIL, which is not cached.
 */
public final class CachingResolver implements UpstreamResolver {
    private record Question(Name name, int type) {}

    private final UpstreamResolver upstream;
    private final AnswerCache cache;
    private final Clock clock;
    private final ConcurrentMap<Question, CompletableFuture<Message>> inFlight = new ConcurrentHashMap<>();

    public CachingResolver(List<InetSocketAddress> upstreams, Duration timeout, int retries, int maxEntries,
            Clock clock) {
        this(new ForwardingResolver(upstreams, timeout, retries), maxEntries, clock);
    }

    CachingResolver(UpstreamResolver upstream, int maxEntries, Clock clock) {
        this.upstream = upstream;
        this.cache = new AnswerCache(maxEntries);
        this.clock = clock;
    }

    @Override
    public CompletionStage<Message> resolve(Name name, int type) {
        Optional<AnswerCache.Hit> cached = hit(name, type);
        return cached.isPresent() ? CompletableFuture.completedFuture(cached.get().response()) : fetch(name, type);
    }

    /** Like {@link #resolve}, but a cached answer's records are handed out as stored, without a copy to age them. */
    @Override
    public CompletionStage<List<Record>> answers(Name name, int type) {
        Optional<AnswerCache.Hit> cached = hit(name, type);
        return cached.isPresent() ? CompletableFuture.completedFuture(cached.get().answers())
                : fetch(name, type).thenApply(response -> response.getSection(Section.ANSWER));
    }

    /** A cached answer; in the last tenth of its TTL it is refreshed (a failed refresh lets it expire as it would). */
    private Optional<AnswerCache.Hit> hit(Name name, int type) {
        Optional<AnswerCache.Hit> cached = cache.get(name, type, clock.millis());
        if (cached.isPresent() && cached.get().refreshDue()) {
            fetch(name, type);
        }
        return cached;
    }

    /** Asks the upstream unless the same question is already being asked; caches what may be cached. */
    private CompletableFuture<Message> fetch(Name name, int type) {
        Question question = new Question(name, type);
        CompletableFuture<Message> mine = new CompletableFuture<>();
        CompletableFuture<Message> running = inFlight.putIfAbsent(question, mine);
        if (running != null) {
            return running;
        }
        upstream.resolve(name, type).whenComplete((response, error) -> {
            inFlight.remove(question, mine);
            if (error != null) {
                mine.completeExceptionally(error);
                return;
            }
            cache.put(name, type, response, clock.millis());
            mine.complete(response);
        });
        return mine;
    }

    int cachedEntries() {
        return cache.size();
    }
}
