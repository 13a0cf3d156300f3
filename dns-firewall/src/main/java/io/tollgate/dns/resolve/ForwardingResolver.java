package io.tollgate.dns.resolve;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;

/**
 * Asks the upstream servers in order, moving to the next on a timeout, an I/O error, SERVFAIL or REFUSED, for
 * {@code 1 + retries} rounds; SERVFAIL when none answers. Truncated UDP answers are retried over TCP by dnsjava.
 */
final class ForwardingResolver implements UpstreamResolver {
    private final List<SimpleResolver> upstreams;
    private final int rounds;
    private final long timeoutMillis;
    private final long deadlineMillis;

    ForwardingResolver(List<InetSocketAddress> upstreams, Duration timeout, int retries) {
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("no upstream DNS servers configured; set gateway.upstream-dns");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
        this.upstreams = upstreams.stream().map(address -> {
            SimpleResolver resolver = new SimpleResolver(address);
            resolver.setTimeout(timeout);
            return resolver;
        }).toList();
        this.rounds = 1 + retries;
        this.timeoutMillis = timeout.toMillis();
        // Each attempt has its own timeout; this outer bound only guards against a lost completion.
        this.deadlineMillis = timeoutMillis * (rounds * this.upstreams.size() + 1);
    }

    @Override
    public CompletionStage<Message> resolve(Name name, int type) {
        Record question = Record.newRecord(name, type, DClass.IN);
        return attempt(question, 0).toCompletableFuture()
                .completeOnTimeout(servfail(question), deadlineMillis, TimeUnit.MILLISECONDS);
    }

    private CompletionStage<Message> attempt(Record question, int attempt) {
        if (attempt >= rounds * upstreams.size()) {
            return CompletableFuture.completedFuture(servfail(question));
        }
        SimpleResolver upstream = upstreams.get(attempt % upstreams.size());
        // dnsjava notices its own timeouts only when its selector wakes up (up to a second late), so time it here.
        return upstream.sendAsync(Message.newQuery(question)).toCompletableFuture()
                .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .handle((response, error) -> error == null && answered(response) ? response : null)
                .thenCompose(response -> response != null
                        ? CompletableFuture.completedFuture(response)
                        : attempt(question, attempt + 1));
    }

    private static boolean answered(Message response) {
        int rcode = response.getRcode();
        return rcode != Rcode.SERVFAIL && rcode != Rcode.REFUSED;
    }

    private static Message servfail(Record question) {
        Message failure = new Message();
        failure.getHeader().setRcode(Rcode.SERVFAIL);
        failure.addRecord(question, Section.QUESTION);
        return failure;
    }
}
