package io.tollgate.policy.ioc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tollgate.policy.PolicyException;
import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.policy.store.PolicyArchive;
import io.tollgate.testbed.FreePort;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IocStoreTest {
    @TempDir
    Path dir;
    private ClusterMember member;

    @BeforeEach
    void start() throws Exception {
        member = ClusterMember.start(InetAddress.getLoopbackAddress(), FreePort.onLoopback());
    }

    @AfterEach
    void stop() {
        member.close();
    }

    @Test
    void changesAreVersionedAuditedAndSeenByTheView() throws Exception {
        IocStore store = new IocStore(member.hazelcast(), Clock.systemUTC());
        AtomicReference<CentralIoc> seen = new AtomicReference<>();
        try (IocView view = IocView.follow(member.hazelcast(), seen::set)) {
            CentralIoc first = store.change(List.of("evil.example"), List.of("203.0.113.0/24"), List.of(), "sec");
            assertThat(first.version()).isEqualTo(1);
            assertThat(first.changes()).containsExactly("+ evil.example", "+ 203.0.113.0/24");
            CentralIoc second = store.change(List.of("evil.example", "worse.example"), List.of(),
                    List.of("203.0.113.0/24"), "ops");
            assertThat(second.version()).isEqualTo(2);
            assertThat(second.changes()).containsExactly("+ worse.example", "- 203.0.113.0/24");
            assertThat(second.domains()).containsExactly("evil.example", "worse.example");
            assertThat(store.change(List.of("worse.example"), List.of(), List.of(), "ops").version()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.get() != null && seen.get().version() == 2);
        }
        assertThatThrownBy(() -> store.change(List.of(), List.of("not-an-ip"), List.of(), "sec"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("not-an-ip");
    }

    @Test
    void theArchiveKeepsTheLatestListForAFullRestart() throws Exception {
        IocStore store = new IocStore(member.hazelcast(), Clock.systemUTC());
        PolicyArchive archive = new PolicyArchive(dir);
        archive.saveIoc(store.change(List.of("evil.example"), List.of(), List.of(), "sec"));
        archive.saveIoc(store.change(List.of("worse.example"), List.of(), List.of(), "sec"));
        assertThat(Files.readAllLines(dir.resolve("audit.jsonl"))).hasSize(2);

        member.close();
        member = ClusterMember.start(InetAddress.getLoopbackAddress(), FreePort.onLoopback());
        IocStore restarted = new IocStore(member.hazelcast(), Clock.systemUTC());
        assertThat(restarted.current().version()).isZero();
        assertThat(restarted.restore(archive.loadIoc().orElseThrow())).isTrue();
        assertThat(restarted.current().domains()).containsExactly("evil.example", "worse.example");
        assertThat(restarted.restore(new CentralIoc(List.of(), List.of(), 1, "old", Instant.EPOCH,
                List.of()))).as("an older list never replaces a newer one").isFalse();
    }
}
