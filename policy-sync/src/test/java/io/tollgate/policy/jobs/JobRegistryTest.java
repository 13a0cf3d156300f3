package io.tollgate.policy.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import io.tollgate.policy.cluster.ClusterMember;
import io.tollgate.testbed.FreePort;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The job registry on a real single embedded member: one live job per address, finishing with the job's secret. */
class JobRegistryTest {
    private static ClusterMember member;
    private static JobRegistry registry;
    private static JobView view;

    @BeforeAll
    static void start() throws Exception {
        member = ClusterMember.start(InetAddress.getLoopbackAddress(), FreePort.onLoopback());
        // Hazelcast counts a TTL from the update time truncated to the second: 3 s live between 2 and 3 s.
        registry = new JobRegistry(member.hazelcast(), Duration.ofSeconds(3), Clock.systemUTC());
        view = JobView.follow(member.hazelcast());
    }

    @AfterAll
    static void stop() {
        if (member != null) {
            member.close();
        }
    }

    @Test
    void aRegisteredJobIsSeenByTheViewUntilItIsFinishedWithItsSecret() throws Exception {
        // Its own registry with a long maximum duration: on a loaded machine the shared one's 1 s could expire the
        // job between the calls below.
        JobRegistry registry = new JobRegistry(member.hazelcast(), Duration.ofHours(1), Clock.systemUTC());
        InetAddress ip = InetAddresses.forString("10.10.0.2");
        JobRegistry.Registration r = registry.register(request(ip));

        assertThat(r.job().finishSecretSha256()).isEqualTo(FinishSecret.digest(r.finishSecret()))
                .doesNotContain(r.finishSecret());
        assertThat(registry.active()).containsEntry("10.10.0.2", r.job());
        assertThat(eventually(() -> view.at(ip))).contains(r.job());

        assertThat(registry.finish(ip, r.finishSecret() + "x")).isEqualTo(JobRegistry.Finish.WRONG_SECRET);
        assertThat(registry.finish(ip, r.finishSecret())).isEqualTo(JobRegistry.Finish.FINISHED);
        assertThat(registry.finish(ip, r.finishSecret())).isEqualTo(JobRegistry.Finish.NO_JOB);
        assertThat(eventually(() -> view.at(ip).isEmpty() ? Optional.of("gone") : Optional.empty())).isPresent();
    }

    @Test
    void anAddressWithALiveJobCannotBeRegisteredAgainUntilTheJobOutlivesTheMaximumDuration() throws Exception {
        InetAddress ip = InetAddresses.forString("fd10::7");
        JobRegistry.Registration first = registry.register(request(ip));

        assertThatThrownBy(() -> registry.register(request(ip))).isInstanceOf(JobConflictException.class)
                .hasMessageContaining("fd10::7 already holds live job " + first.job().id());

        Thread.sleep(3_100);
        assertThat(registry.register(request(ip)).job().id()).isNotEqualTo(first.job().id());
    }

    private static JobRequest request(InetAddress ip) {
        return new JobRequest(ip, "octo-org/app", "CI", "build", "123456", 1, "runner-7");
    }

    private static <T> Optional<T> eventually(Supplier<Optional<T>> probe) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found;
            }
            Thread.sleep(10);
        }
        return Optional.empty();
    }
}
