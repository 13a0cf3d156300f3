package io.tollgate.policy.match;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import io.tollgate.policy.PolicyException;
import io.tollgate.policy.endpoint.EndpointParser;
import io.tollgate.policy.endpoint.EndpointSets;
import org.junit.jupiter.api.Test;

class EndpointMatcherTest {

    private static EndpointMatcher matcher(String text) throws PolicyException {
        return EndpointMatcher.compile(EndpointParser.parse("test", text, EndpointSets.defaults()));
    }

    @Test
    void exactEntryMatchesOnlyThatNameAndPort() throws PolicyException {
        EndpointMatcher m = matcher("github.com:443");
        assertThat(m.allows("github.com", 443)).isTrue();
        assertThat(m.allows("github.com", 80)).isFalse();
        assertThat(m.allows("api.github.com", 443)).isFalse();
        assertThat(m.allows("evilgithub.com", 443)).isFalse();
        assertThat(m.allows("com", 443)).isFalse();
    }

    @Test
    void wildcardMatchesSubdomainsAtAnyDepthButNotApex() throws PolicyException {
        EndpointMatcher m = matcher("*.example.com:443");
        assertThat(m.allows("a.example.com", 443)).isTrue();
        assertThat(m.allows("a.b.c.example.com", 443)).isTrue();
        assertThat(m.allows("example.com", 443)).isFalse();
        assertThat(m.allows("notexample.com", 443)).isFalse();
        assertThat(m.allows(".example.com", 443)).isFalse();
        assertThat(m.allows("a..example.com", 443)).isFalse();
    }

    @Test
    void inLabelWildcardStaysWithinOneLabel() throws PolicyException {
        EndpointMatcher m = matcher("productionresultssa*.blob.core.windows.net");
        assertThat(m.allows("productionresultssa0.blob.core.windows.net", 443)).isTrue();
        assertThat(m.allows("productionresultssa.blob.core.windows.net", 443)).isTrue();
        assertThat(m.allows("productionresultssa12.blob.core.windows.net", 443)).isTrue();
        assertThat(m.allows("x.productionresultssa1.blob.core.windows.net", 443)).isFalse();
        assertThat(m.allows("productionresultssa1.evil.blob.core.windows.net", 443)).isFalse();
        assertThat(m.allows("attacker.blob.core.windows.net", 443)).isFalse();
        assertThat(m.allows("productionresultssa1.blob.core.windows.net", 80)).isFalse();
    }

    @Test
    void inLabelWildcardWithSeveralStarsMatchesInOrder() throws PolicyException {
        EndpointMatcher m = matcher("cdn-*-eu-*.example.com");
        assertThat(m.allows("cdn-1-eu-2.example.com", 443)).isTrue();
        assertThat(m.allows("cdn--eu-.example.com", 443)).isTrue();
        assertThat(m.allows("cdn-1-us-2.example.com", 443)).isFalse();
        assertThat(m.allows("cdn-eu-.example.com", 443)).isFalse();
    }

    @Test
    void globsWithDifferentLiteralPrefixesAtOneDomainEachMatch() throws PolicyException {
        EndpointMatcher m = matcher("*-eu.example.com pool-*.example.com:80 pool-a*.example.com:443 p*z.example.com");
        assertThat(m.allows("cdn-eu.example.com", 443)).isTrue();
        assertThat(m.allows("pool-7.example.com", 80)).isTrue();
        assertThat(m.allows("pool-7.example.com", 443)).isFalse();
        assertThat(m.allows("pool-ab.example.com", 443)).isTrue();
        assertThat(m.allows("pxz.example.com", 443)).isTrue();
        assertThat(m.allows("pool-7-us.example.com", 443)).isFalse();
    }

    @Test
    void everyPortListedForAWildcardCounts() throws PolicyException {
        EndpointMatcher m = matcher("*.example.com:443 *.example.com:8443 *.example.com:80");
        assertThat(m.allows("a.example.com", 80)).isTrue();
        assertThat(m.allows("a.example.com", 8443)).isTrue();
        assertThat(m.allows("a.example.com", 443)).isTrue();
        assertThat(m.allows("a.example.com", 22)).isFalse();
    }

    @Test
    void matchingIgnoresCaseAndTrailingDot() throws PolicyException {
        EndpointMatcher m = matcher("GitHub.com *.Example.com");
        assertThat(m.allows("GITHUB.COM", 443)).isTrue();
        assertThat(m.allows("github.com.", 443)).isTrue();
        assertThat(m.allows("Api.EXAMPLE.com.", 443)).isTrue();
    }

    @Test
    void idnUnicodeNameMatchesPunycodeEntry() throws PolicyException {
        EndpointMatcher m = matcher("xn--bcher-kva.example *.xn--mnchen-3ya.example");
        assertThat(m.allows("bücher.example", 443)).isTrue();
        assertThat(m.allows("BÜCHER.example.", 443)).isTrue();
        assertThat(m.allows("api.münchen.example", 443)).isTrue();
        assertThat(matcher("bücher.example").allows("xn--bcher-kva.example", 443)).isTrue();
    }

    @Test
    void namesWithCharactersNoHostHasAreNeverAllowed() throws PolicyException {
        EndpointMatcher m = matcher("*.example.com");
        assertThat(m.allows("a/b.example.com", 443)).isFalse();
        assertThat(m.allows("a b.example.com", 443)).isFalse();
        assertThat(m.allows("", 443)).isFalse();
        assertThat(m.allows(".", 443)).isFalse();
        assertThat(m.allows((String) null, 443)).isFalse();
    }

    @Test
    void outOfRangePortIsNeverAllowed() throws PolicyException {
        EndpointMatcher m = matcher("github.com 10.0.0.0/8:*");
        assertThat(m.allows("github.com", 0)).isFalse();
        assertThat(m.allows("github.com", 65536)).isFalse();
        assertThat(m.allows(InetAddresses.forString("10.1.1.1"), 0)).isFalse();
    }

    @Test
    void nameOnAnyPortSeesEveryListedPort() throws PolicyException {
        EndpointMatcher m = matcher("db.example.com:5432 *.cdn.example.com:80 pkg*.example.org:8080");
        assertThat(m.allowsNameOnAnyPort("db.example.com")).isTrue();
        assertThat(m.allowsNameOnAnyPort("x.y.cdn.example.com")).isTrue();
        assertThat(m.allowsNameOnAnyPort("pkg1.example.org")).isTrue();
        assertThat(m.allowsNameOnAnyPort("cdn.example.com")).isFalse();
        assertThat(m.allowsNameOnAnyPort("example.com")).isFalse();
    }

    @Test
    void cidrEntriesMatchAddressesAndPortsForIpv4AndIpv6() throws PolicyException {
        EndpointMatcher m = matcher("10.0.0.0/8:5432 10.1.0.0/16:* [2001:db8::/32]:443 203.0.113.7:22");
        assertThat(m.allows(InetAddresses.forString("10.200.0.1"), 5432)).isTrue();
        assertThat(m.allows(InetAddresses.forString("10.200.0.1"), 443)).isFalse();
        assertThat(m.allows(InetAddresses.forString("10.1.2.3"), 5432)).isTrue();
        assertThat(m.allows(InetAddresses.forString("10.1.2.3"), 9999)).isTrue();
        assertThat(m.allows(InetAddresses.forString("2001:db8:ffff::1"), 443)).isTrue();
        assertThat(m.allows(InetAddresses.forString("2001:db9::1"), 443)).isFalse();
        assertThat(m.allows(InetAddresses.forString("203.0.113.7"), 22)).isTrue();
        assertThat(m.allows(InetAddresses.forString("203.0.113.8"), 22)).isFalse();
        assertThat(m.allows(InetAddresses.forString("11.0.0.1"), 5432)).isFalse();
        assertThat(m.allowsIpOnAnyPort(InetAddresses.forString("10.9.9.9"))).isTrue();
    }

    @Test
    void hostEntriesDoNotAllowAddressesAndCidrsDoNotAllowNames() throws PolicyException {
        EndpointMatcher m = matcher("github.com 140.82.112.0/20");
        assertThat(m.allows(InetAddresses.forString("140.82.112.3"), 443)).isTrue();
        assertThat(m.allows("140.82.112.3", 443)).isFalse();
    }

    @Test
    void sizeCountsDistinctEntries() throws PolicyException {
        assertThat(matcher("a.example.com a.example.com:443 a.example.com:80 *.example.com 10.0.0.0/8:*").size())
                .isEqualTo(4);
    }

    @Test
    void shippedRunnerSetAllowsTheRunnerServices() throws PolicyException {
        EndpointMatcher m = matcher("@github-actions-runner");
        assertThat(m.allows("broker.actions.githubusercontent.com", 443)).isTrue();
        assertThat(m.allows("codeload.github.com", 443)).isTrue();
        assertThat(m.allows("productionresultssa7.blob.core.windows.net", 443)).isTrue();
        assertThat(m.allows("attacker.blob.core.windows.net", 443)).isFalse();
        assertThat(m.allows("gist.github.com", 443)).isFalse();
    }
}
