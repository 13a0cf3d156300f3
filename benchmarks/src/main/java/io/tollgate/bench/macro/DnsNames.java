package io.tollgate.bench.macro;

import io.tollgate.testbed.FakeDns;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The benchmark's names. The authoritative FakeDns holds an A record for every one of them, allowed or not, so an
 * NXDOMAIN can only come from the policy and a blocked name that leaked upstream would show in its query log.
 * Addresses come from 198.18.0.0/15, the range reserved for benchmarks (RFC 2544).
 */
final class DnsNames {
    /** On the allow list: {@code svcN.bench.example}, answered {@code 198.18.x.y}. */
    static final NameSet ALLOWED = new NameSet("svc", "bench.example", 1000, address(198, 18, 0));
    /** In the allowed names' zone but not on the list: {@code blkN.bench.example}. */
    static final NameSet BLOCKED = new NameSet("blk", "bench.example", 1000, address(198, 19, 0));
    /** Below the IOC domain: {@code c2-N.evil.example}. */
    static final NameSet IOC = new NameSet("c2-", "evil.example", 100, address(198, 19, 128));
    /** TTL of every record: long enough that nothing expires from a cache during the run. */
    static final int TTL_SECONDS = 3600;

    /** {@code count} names {@code <prefix>N.<zone>}, the i-th answered with the address {@code first + i}. */
    record NameSet(String prefix, String zone, int count, int firstAddress) {
        String name(int i) {
            return prefix + i + "." + zone;
        }

        String address(int i) {
            int a = firstAddress + i;
            return (a >>> 24) + "." + (a >>> 16 & 0xff) + "." + (a >>> 8 & 0xff) + "." + (a & 0xff);
        }

        List<String> names() {
            return IntStream.range(0, count).mapToObj(this::name).toList();
        }
    }

    private DnsNames() {}

    /** Adds every name with its address to {@code dns}. */
    static void load(FakeDns dns) {
        dns.ttl(TTL_SECONDS);
        for (NameSet set : List.of(ALLOWED, BLOCKED, IOC)) {
            for (int i = 0; i < set.count(); i++) {
                dns.a(set.name(i), set.address(i));
            }
        }
    }

    private static int address(int a, int b, int c) {
        return a << 24 | b << 16 | c << 8;
    }
}
