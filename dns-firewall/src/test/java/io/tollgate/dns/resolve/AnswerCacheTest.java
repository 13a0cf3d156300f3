package io.tollgate.dns.resolve;

import static io.tollgate.dns.resolve.Answers.name;
import static io.tollgate.dns.resolve.Answers.response;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class AnswerCacheTest {
    private static final String SOA = "example.com. 3600 SOA ns.example.com. host.example.com. 1 3600 600 86400 120";
    private final AnswerCache cache = new AnswerCache(100);

    @Test
    void positiveAnswerLivesForItsSmallestTtlAndIsServedWithTheRemainingTtl() {
        cache.put(name("www.example.com"), Type.A, response("www.example.com", Type.A, Rcode.NOERROR,
                "www.example.com. 300 CNAME edge.example.com.", "edge.example.com. 60 A 192.0.2.1"), 0);

        AnswerCache.Hit hit = cache.get(name("www.example.com"), Type.A, 45_000).orElseThrow();
        assertThat(hit.refreshDue()).as("15 s of 60 left").isFalse();
        Message served = hit.response();
        assertThat(served.getSection(Section.ANSWER)).extracting(Record::getTTL).containsExactly(255L, 15L);
        assertThat(served.getSection(Section.ANSWER)).extracting(Record::rdataToString)
                .containsExactly("edge.example.com.", "192.0.2.1");
        assertThat(hit.answers()).as("the stored records, TTLs as received").extracting(Record::getTTL)
                .containsExactly(300L, 60L);
        assertThat(cache.get(name("www.example.com"), Type.A, 54_000).orElseThrow().refreshDue())
                .as("the last tenth of the TTL").isTrue();
        assertThat(cache.get(name("www.example.com"), Type.A, 59_999)).isPresent();
        assertThat(cache.get(name("www.example.com"), Type.A, 60_000)).isEmpty();
    }

    @Test
    void keysIgnoreCaseButNotType() {
        cache.put(name("www.example.com"), Type.A, response("www.example.com", Type.A, Rcode.NOERROR,
                "www.example.com. 60 A 192.0.2.1"), 0);

        assertThat(cache.get(name("WWW.Example.com"), Type.A, 0)).isPresent();
        assertThat(cache.get(name("www.example.com"), Type.AAAA, 0)).isEmpty();
    }

    @Test
    void nxdomainIsCachedForTheSoaNegativeTtl() {
        cache.put(name("nope.example.com"), Type.A, response("nope.example.com", Type.A, Rcode.NXDOMAIN, SOA), 0);

        Message served = cache.get(name("nope.example.com"), Type.A, 119_000).orElseThrow().response();
        assertThat(served.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(cache.get(name("nope.example.com"), Type.A, 120_000)).isEmpty();
    }

    @Test
    void negativeTtlIsCapped() {
        String longSoa = "example.com. 86400 SOA ns.example.com. host.example.com. 1 3600 600 86400 86400";
        assertThat(AnswerCache.cacheableSeconds(response("x.example.com", Type.A, Rcode.NXDOMAIN, longSoa)))
                .isEqualTo(AnswerCache.MAX_NEGATIVE_TTL.toSeconds());
    }

    @Test
    void emptyAnswerIsCachedLikeNxdomain() {
        assertThat(AnswerCache.cacheableSeconds(response("www.example.com", Type.AAAA, Rcode.NOERROR, SOA)))
                .isEqualTo(120);
    }

    @Test
    void failuresTruncatedAnswersAndZeroTtlsAreNotCached() {
        assertThat(AnswerCache.cacheableSeconds(response("x.example.com", Type.A, Rcode.SERVFAIL))).isZero();
        assertThat(AnswerCache.cacheableSeconds(response("x.example.com", Type.A, Rcode.NXDOMAIN))).isZero();
        assertThat(AnswerCache.cacheableSeconds(response("x.example.com", Type.A, Rcode.NOERROR,
                "x.example.com. 0 A 192.0.2.1"))).isZero();
        Message truncated = response("x.example.com", Type.A, Rcode.NOERROR, "x.example.com. 60 A 192.0.2.1");
        truncated.getHeader().setFlag(Flags.TC);
        assertThat(AnswerCache.cacheableSeconds(truncated)).isZero();
    }

    @Test
    void sizeIsBoundedDroppingTheLeastRecentlyUsed() {
        AnswerCache small = new AnswerCache(2);
        small.put(name("a.example.com"), Type.A, response("a.example.com", Type.A, Rcode.NOERROR,
                "a.example.com. 60 A 192.0.2.1"), 0);
        small.put(name("b.example.com"), Type.A, response("b.example.com", Type.A, Rcode.NOERROR,
                "b.example.com. 60 A 192.0.2.2"), 0);
        small.get(name("a.example.com"), Type.A, 0);
        small.put(name("c.example.com"), Type.A, response("c.example.com", Type.A, Rcode.NOERROR,
                "c.example.com. 60 A 192.0.2.3"), 0);

        assertThat(small.size()).isEqualTo(2);
        assertThat(small.get(name("a.example.com"), Type.A, 0)).isPresent();
        assertThat(small.get(name("b.example.com"), Type.A, 0)).isEmpty();
        assertThat(small.get(name("c.example.com"), Type.A, 0)).isPresent();
    }
}
