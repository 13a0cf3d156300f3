package io.tollgate.bench;

import io.tollgate.policy.PolicyException;
import io.tollgate.policy.endpoint.EndpointParser;
import io.tollgate.policy.endpoint.EndpointSets;
import io.tollgate.policy.match.EndpointMatcher;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link EndpointMatcher#allows(String, int)} on policies of 10, 1 000 and 100 000 entries: 70% exact names, 20%
 * {@code *.domain} wildcards, 10% in-label globs. Each call looks up the next of 1 024 names (all allowed for
 * {@code allowsHit}, none for {@code allowsMiss}), so the measured cost includes cache misses across the trie.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EndpointMatcherBenchmark {
    private static final int QUERIES = 1024;

    @Param({"10", "1000", "100000"})
    public int entries;

    private EndpointMatcher matcher;
    private final String[] hits = new String[QUERIES];
    private final String[] misses = new String[QUERIES];
    private int next;

    @Setup
    public void compile() throws PolicyException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < entries; i++) {
            text.append(entry(i)).append('\n');
        }
        matcher = EndpointMatcher.compile(EndpointParser.parse("benchmark", text.toString(), EndpointSets.defaults()));
        for (int q = 0; q < QUERIES; q++) {
            int i = (int) ((q * 2654435761L) % entries);
            hits[q] = hitFor(i);
            misses[q] = missFor(i);
            if (!matcher.allows(hits[q], 443) || matcher.allows(misses[q], 443)) {
                throw new IllegalStateException("benchmark data is wrong for entry " + entry(i));
            }
        }
    }

    private static String entry(int i) {
        return switch (i % 10) {
            case 7, 8 -> "*.zone" + i + ".example.net:443";
            case 9 -> "pool" + i + "-*.cdn.example.org:443";
            default -> "svc" + i + ".team" + (i % 97) + ".example" + (i % 13) + ".com:443";
        };
    }

    private static String hitFor(int i) {
        return switch (i % 10) {
            case 7, 8 -> "api.eu.zone" + i + ".example.net";
            case 9 -> "pool" + i + "-42.cdn.example.org";
            default -> "svc" + i + ".team" + (i % 97) + ".example" + (i % 13) + ".com";
        };
    }

    private static String missFor(int i) {
        return switch (i % 10) {
            case 7, 8 -> "zone" + i + ".example.net";
            case 9 -> "pool" + i + "-42.edge.cdn.example.org";
            default -> "svc" + i + ".team" + (i % 97 + 1) + ".example" + (i % 13) + ".com";
        };
    }

    @Benchmark
    public boolean allowsHit() {
        return matcher.allows(hits[next++ & (QUERIES - 1)], 443);
    }

    @Benchmark
    public boolean allowsMiss() {
        return matcher.allows(misses[next++ & (QUERIES - 1)], 443);
    }
}
