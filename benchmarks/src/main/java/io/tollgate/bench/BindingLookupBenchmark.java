package io.tollgate.bench;

import io.tollgate.dns.bind.BindingLimits;
import io.tollgate.dns.bind.ClusterBindings;
import io.tollgate.dns.bind.DnsBindingTable;
import io.tollgate.policy.cluster.ClusterException;
import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.policy.cluster.ClusterSettings;
import io.tollgate.testbed.FreePort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The binding look-up of a TCP decision in a two-member cluster on loopback (real Hazelcast members, TCP between
 * them): {@code localHit} is a node that holds the binding itself (the common case: the runner's DNS went through
 * this node, or an earlier connection fetched it), {@code clusterMiss} a node that must ask {@value
 * ClusterBindings#MAP} (half the keys live on the other member, as partitions are spread evenly), {@code share} the
 * write a DNS answer waits for (owner plus one synchronous backup). Sample mode, so JMH reports p50/p99.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BindingLookupBenchmark {
    private static final int ADDRESSES = 4096;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final InetAddress RUNNER = address(10, 10, 0, 2);

    private ClusterMember memberA;
    private ClusterMember memberB;
    private DnsBindingTable nodeA;
    private ClusterBindings replicaB;
    private final InetAddress[] addresses = new InetAddress[ADDRESSES];
    private int next;
    private long shared;

    @Setup
    public void start() throws ClusterException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int portA = FreePort.onLoopback();
        int portB = FreePort.onLoopback();
        while (portB == portA) {
            portB = FreePort.onLoopback();
        }
        List<InetSocketAddress> members = List.of(new InetSocketAddress(loopback, portA),
                new InetSocketAddress(loopback, portB));
        memberA = ClusterMember.start(new ClusterSettings(loopback, portA, members, 1));
        memberB = ClusterMember.start(new ClusterSettings(loopback, portB, members, 1));
        nodeA = new DnsBindingTable(Clock.systemUTC(), BindingLimits.defaults(),
                new ClusterBindings(memberA.hazelcast(), TIMEOUT, TIMEOUT));
        replicaB = new ClusterBindings(memberB.hazelcast(), TIMEOUT, TIMEOUT);
        for (int i = 0; i < ADDRESSES; i++) {
            addresses[i] = address(198, 51, 100 + i / 256, i % 256);
            nodeA.bind(RUNNER, "svc" + i + ".example.com", addresses[i], 3600).toCompletableFuture().join();
        }
        if (replicaB.lookup(RUNNER, addresses[7]).toCompletableFuture().join().isEmpty()) {
            throw new IllegalStateException("member B does not see member A's bindings");
        }
    }

    @TearDown
    public void stop() {
        memberB.close();
        memberA.close();
    }

    @Benchmark
    public Set<String> localHit() {
        return nodeA.lookup(RUNNER, nextAddress(), null).toCompletableFuture().join();
    }

    @Benchmark
    public Map<String, Long> clusterMiss() {
        return replicaB.lookup(RUNNER, nextAddress()).toCompletableFuture().join();
    }

    /** A new name every time: binding a name again within 30 s is skipped (no write), which is not measured here. */
    @Benchmark
    public Void share() {
        return nodeA.bind(RUNNER, "new" + shared++ + ".example.com", nextAddress(), 3600).toCompletableFuture()
                .join();
    }

    private InetAddress nextAddress() {
        next = (next + 1) & (ADDRESSES - 1);
        return addresses[next];
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
