package io.tollgate.policy.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.policy.endpoint.EndpointList;
import io.tollgate.policy.endpoint.HostEndpoint;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The trie matcher agrees with a naive reference matcher that compares each pattern with the whole name. */
class EndpointMatcherPropertyTest {

    @Property(tries = 300)
    void trieMatcherAgreesWithNaiveReference(@ForAll("endpoints") List<HostEndpoint> endpoints,
            @ForAll("names") List<String> names, @ForAll("ports") int port) {
        EndpointMatcher matcher = EndpointMatcher.compile(new EndpointList(endpoints, List.of()));
        for (String name : names) {
            assertThat(matcher.allows(name, port)).as("%s:%d against %s", name, port, endpoints)
                    .isEqualTo(naiveAllows(endpoints, name.toLowerCase(Locale.ROOT), port));
            assertThat(matcher.allowsNameOnAnyPort(name)).as("%s on any port against %s", name, endpoints)
                    .isEqualTo(endpoints.stream().anyMatch(e -> naiveMatches(e.pattern(), name.toLowerCase(Locale.ROOT))));
        }
    }

    private static boolean naiveAllows(List<HostEndpoint> endpoints, String name, int port) {
        return endpoints.stream().anyMatch(e -> e.port() == port && naiveMatches(e.pattern(), name));
    }

    private static boolean naiveMatches(String pattern, String name) {
        if (pattern.startsWith("*.")) {
            return name.endsWith(pattern.substring(1));
        }
        String regex = Pattern.quote(pattern).replace("*", "\\E[^.]*\\Q");
        return name.matches(regex);
    }

    @Provide
    Arbitrary<List<HostEndpoint>> endpoints() {
        Arbitrary<String> fixed = name(1, 3);
        Arbitrary<String> exact = name(2, 4);
        Arbitrary<String> anyDepth = fixed.map(f -> "*." + f);
        Arbitrary<String> glob = Combinators.combine(label(), Arbitraries.integers().between(0, 2), fixed)
                .as((label, at, f) -> label.substring(0, Math.min(at, label.length())) + "*"
                        + label.substring(Math.min(at, label.length())) + "." + f);
        Arbitrary<String> pattern = Arbitraries.oneOf(exact, exact, anyDepth, glob);
        return Combinators.combine(pattern, ports()).as(HostEndpoint::new).list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<String>> names() {
        Arbitrary<String> name = name(1, 5);
        return Arbitraries.oneOf(name, name.map(n -> n.toUpperCase(Locale.ROOT))).list().ofMinSize(1).ofMaxSize(20);
    }

    @Provide
    Arbitrary<Integer> ports() {
        return Arbitraries.of(80, 443);
    }

    private static Arbitrary<String> name(int minLabels, int maxLabels) {
        return label().list().ofMinSize(minLabels).ofMaxSize(maxLabels).map(labels -> String.join(".", labels));
    }

    private static Arbitrary<String> label() {
        return Arbitraries.of("a", "b", "ab", "ba", "aab", "x-1", "com");
    }
}
