package io.tollgate.dns.bind;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.dns.testing.MutableClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** How the binding table uses its replica: when it shares, when it asks, what it keeps (a recording replica). */
class SharedBindingTableTest {
    private static final InetAddress RUNNER = ip("10.10.0.5");
    private static final InetAddress GITHUB = ip("140.82.112.3");

    private final MutableClock clock = MutableClock.atEpochDay();
    private final RecordingReplica replica = new RecordingReplica();
    private final DnsBindingTable table = new DnsBindingTable(clock, BindingLimits.defaults(), replica);

    @Test
    void aRepeatedAnswerIsSharedAgainOnlyWhenItExtendsTheBindingByAtLeastThirtySeconds() {
        table.bind(RUNNER, "GitHub.com.", GITHUB, 60); // lives 60 s + 5 min grace = 360 s
        table.bind(RUNNER, "github.com", GITHUB, 60);
        long first = clock.millis() + 360_000;
        assertThat(replica.shared).containsExactly("github.com@" + first);

        clock.advance(Duration.ofSeconds(30));
        table.bind(RUNNER, "github.com", GITHUB, 60);
        assertThat(replica.shared).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        table.bind(RUNNER, "github.com", GITHUB, 60);
        assertThat(replica.shared).containsExactly("github.com@" + first, "github.com@" + (first + 31_000));
        clock.advance(Duration.ofSeconds(359));
        assertThat(table.namesFor(RUNNER, GITHUB)).as("the extended binding").containsExactly("github.com");
    }

    @Test
    void aLocalHitNeverAsksTheReplica() {
        table.bind(RUNNER, "github.com", GITHUB, 60);
        assertThat(table.lookup(RUNNER, GITHUB, "github.com").toCompletableFuture().getNow(null))
                .containsExactly("github.com");
        assertThat(table.lookup(RUNNER, GITHUB, null).toCompletableFuture().getNow(null)).containsExactly("github.com");
        assertThat(replica.lookups).isZero();
    }

    @Test
    void aMissAsksTheReplicaKeepsItsUnexpiredNamesAndAddsThemToTheLocalOnes() {
        table.bind(RUNNER, "github.com", GITHUB, 60);
        replica.found = Map.of("api.github.com", clock.millis() + 10_000, "old.github.com", clock.millis() - 1);

        assertThat(table.lookup(RUNNER, GITHUB, "api.github.com").toCompletableFuture().join())
                .containsExactlyInAnyOrder("github.com", "api.github.com");
        assertThat(replica.lookups).isEqualTo(1);
        assertThat(table.namesFor(RUNNER, GITHUB)).containsExactlyInAnyOrder("github.com", "api.github.com");

        clock.advance(Duration.ofSeconds(10));
        assertThat(table.namesFor(RUNNER, GITHUB)).as("kept only until the expiry the cluster gave")
                .containsExactly("github.com");
    }

    @Test
    void aConnectionWithoutANameAsksOnlyWhenThisNodeHasNoNameForTheAddress() {
        assertThat(table.lookup(RUNNER, GITHUB, null).toCompletableFuture().join()).isEmpty();
        assertThat(replica.lookups).isEqualTo(1);
    }

    private static final class RecordingReplica implements BindingReplica {
        final List<String> shared = new ArrayList<>();
        Map<String, Long> found = Map.of();
        int lookups;

        @Override
        public CompletionStage<Void> share(InetAddress source, String name, InetAddress address, long expiresAt) {
            shared.add(name + "@" + expiresAt);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Map<String, Long>> lookup(InetAddress source, InetAddress address) {
            lookups++;
            return CompletableFuture.completedFuture(found);
        }
    }

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
