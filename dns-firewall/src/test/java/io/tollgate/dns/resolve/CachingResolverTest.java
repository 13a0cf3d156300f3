package io.tollgate.dns.resolve;

import static io.tollgate.dns.resolve.Answers.name;
import static io.tollgate.dns.resolve.Answers.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.dns.testing.MutableClock;
import io.tollgate.dns.testing.TinyAuthoritativeServer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class CachingResolverTest {
    private final MutableClock clock = MutableClock.atEpochDay();

    @Test
    void secondQueryWithinTtlIsAnsweredFromTheCache() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        CompletableFuture<Message> upstreamAnswer = new CompletableFuture<>();
        CachingResolver resolver = new CachingResolver((n, t) -> {
            asked.incrementAndGet();
            return upstreamAnswer;
        }, 10, clock);

        CompletableFuture<Message> first = resolver.resolve(name("www.example.com"), Type.A).toCompletableFuture();
        CompletableFuture<Message> concurrent = resolver.resolve(name("www.example.com"), Type.A)
                .toCompletableFuture();
        upstreamAnswer.complete(response("www.example.com", Type.A, Rcode.NOERROR, "www.example.com. 60 A 192.0.2.1"));
        assertThat(first.get().getSection(Section.ANSWER)).hasSize(1);
        assertThat(concurrent.get().getSection(Section.ANSWER)).hasSize(1);

        clock.advance(Duration.ofSeconds(50));
        resolver.resolve(name("www.example.com"), Type.A).toCompletableFuture().get();
        assertThat(asked).as("one upstream query for concurrent and cached askers").hasValue(1);

        clock.advance(Duration.ofSeconds(10));
        resolver.resolve(name("www.example.com"), Type.A);
        assertThat(asked).as("expired entries are asked again").hasValue(2);
    }

    @Test
    void aNameAskedForInTheLastTenthOfItsTtlIsServedAtOnceAndFetchedAgainInTheBackground() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        List<CompletableFuture<Message>> upstream = List.of(new CompletableFuture<>(), new CompletableFuture<>());
        CachingResolver resolver = new CachingResolver((n, t) -> upstream.get(asked.getAndIncrement()), 10, clock);
        CompletableFuture<Message> first = resolver.resolve(name("www.example.com"), Type.A).toCompletableFuture();
        upstream.get(0).complete(response("www.example.com", Type.A, Rcode.NOERROR,
                "www.example.com. 60 A 192.0.2.1"));
        first.get();

        clock.advance(Duration.ofSeconds(55));
        CompletableFuture<Message> due = resolver.resolve(name("www.example.com"), Type.A).toCompletableFuture();
        CompletableFuture<Message> again = resolver.resolve(name("www.example.com"), Type.A).toCompletableFuture();
        assertThat(due).as("answered from the cache without waiting for the refresh").isDone();
        assertThat(again).isDone();
        assertThat(due.get().getSection(Section.ANSWER).getFirst().getTTL()).isEqualTo(5);
        assertThat(asked).as("one refresh however many ask meanwhile").hasValue(2);

        upstream.get(1).complete(response("www.example.com", Type.A, Rcode.NOERROR,
                "www.example.com. 60 A 192.0.2.2"));
        clock.advance(Duration.ofSeconds(30)); // past the first answer's expiry
        Message refreshed = resolver.resolve(name("www.example.com"), Type.A).toCompletableFuture().get();
        assertThat(refreshed.getSection(Section.ANSWER).getFirst().rdataToString()).isEqualTo("192.0.2.2");
        assertThat(asked).as("the refreshed entry is served from the cache").hasValue(2);
    }

    @Test
    void answersAreTheAnswerSectionFromTheCacheOrTheUpstreamAndShareTheRefresh() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        List<CompletableFuture<Message>> upstream = List.of(new CompletableFuture<>(), new CompletableFuture<>());
        CachingResolver resolver = new CachingResolver((n, t) -> upstream.get(asked.getAndIncrement()), 10, clock);

        CompletableFuture<List<Record>> missed = resolver.answers(name("www.example.com"), Type.A)
                .toCompletableFuture();
        upstream.get(0).complete(response("www.example.com", Type.A, Rcode.NOERROR,
                "www.example.com. 60 A 192.0.2.1"));
        assertThat(missed.get()).extracting(Record::rdataToString).containsExactly("192.0.2.1");

        clock.advance(Duration.ofSeconds(30));
        CompletableFuture<List<Record>> cached = resolver.answers(name("www.example.com"), Type.A)
                .toCompletableFuture();
        assertThat(cached).isDone();
        assertThat(cached.get()).extracting(Record::rdataToString).containsExactly("192.0.2.1");
        assertThat(cached.get().getFirst().getTTL()).as("as stored, not counted down").isEqualTo(60);
        assertThat(asked).hasValue(1);

        clock.advance(Duration.ofSeconds(25));
        resolver.answers(name("www.example.com"), Type.A);
        assertThat(asked).as("the last tenth of the TTL starts a refresh here too").hasValue(2);
    }

    @Test
    void servfailIsNotCached() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        CachingResolver resolver = new CachingResolver((n, t) -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(response("www.example.com", Type.A, Rcode.SERVFAIL));
        }, 10, clock);

        resolver.resolve(name("www.example.com"), Type.A).toCompletableFuture().get();
        resolver.resolve(name("www.example.com"), Type.A).toCompletableFuture().get();

        assertThat(asked).hasValue(2);
        assertThat(resolver.cachedEntries()).isZero();
    }

    @Test
    void failsOverToTheNextUpstreamWhenOneIsSilent() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                TinyAuthoritativeServer upstream = TinyAuthoritativeServer.start()) {
            upstream.add("www.example.test. 60 A 192.0.2.10");
            CachingResolver resolver = new CachingResolver(
                    List.of((InetSocketAddress) silent.getLocalSocketAddress(), upstream.address()),
                    Duration.ofMillis(300), 0, 100, clock);

            Message answer = resolver.resolve(name("www.example.test"), Type.A).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);

            assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(answer.getSection(Section.ANSWER)).extracting(r -> r.rdataToString())
                    .containsExactly("192.0.2.10");
        }
    }

    @Test
    void answersServfailInBoundedTimeWhenNoUpstreamAnswers() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            CachingResolver resolver = new CachingResolver(
                    List.of((InetSocketAddress) silent.getLocalSocketAddress()), Duration.ofMillis(200), 1, 100,
                    clock);

            long start = System.nanoTime();
            Message answer = resolver.resolve(name("www.example.test"), Type.A).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);

            assertThat(answer.getRcode()).isEqualTo(Rcode.SERVFAIL);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }
}
