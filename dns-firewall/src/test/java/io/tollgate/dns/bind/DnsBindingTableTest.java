package io.tollgate.dns.bind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.dns.testing.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DnsBindingTableTest {
    private static final InetAddress RUNNER = ip("10.10.0.5");
    private static final InetAddress OTHER_RUNNER = ip("10.10.0.6");
    private static final InetAddress GITHUB = ip("140.82.112.3");

    private final MutableClock clock = MutableClock.atEpochDay();
    private final DnsBindingTable table = new DnsBindingTable(clock, BindingLimits.defaults());

    @Test
    void bindingLivesForTtlPlusGraceThenExpires() {
        table.bind(RUNNER, "github.com", GITHUB, 60);

        clock.advance(Duration.ofSeconds(60).plus(Duration.ofMinutes(5)).minusMillis(1));
        assertThat(table.namesFor(RUNNER, GITHUB)).containsExactly("github.com");
        assertThat(table.isBound(RUNNER, GITHUB, "github.com")).isTrue();

        clock.advance(Duration.ofMillis(1));
        assertThat(table.namesFor(RUNNER, GITHUB)).isEmpty();
        assertThat(table.isBound(RUNNER, GITHUB, "github.com")).isFalse();
    }

    @Test
    void tinyTtlIsRaisedToTheMinimum() {
        table.bind(RUNNER, "github.com", GITHUB, 0);

        clock.advance(Duration.ofSeconds(30 + 300 - 1));
        assertThat(table.isBound(RUNNER, GITHUB, "github.com")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(table.isBound(RUNNER, GITHUB, "github.com")).isFalse();
    }

    @Test
    void hugeTtlIsLoweredToTheMaximum() {
        table.bind(RUNNER, "github.com", GITHUB, Duration.ofDays(7).toSeconds());

        clock.advance(Duration.ofHours(1).plusMinutes(5).minusSeconds(1));
        assertThat(table.isBound(RUNNER, GITHUB, "github.com")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(table.isBound(RUNNER, GITHUB, "github.com")).isFalse();
    }

    @Test
    void bindingAgainExtendsAndNeverShortens() {
        table.bind(RUNNER, "github.com", GITHUB, 600);
        clock.advance(Duration.ofSeconds(500));
        table.bind(RUNNER, "github.com", GITHUB, 60);

        clock.advance(Duration.ofSeconds(399));
        assertThat(table.isBound(RUNNER, GITHUB, "github.com")).as("still inside the first 600 s + grace").isTrue();

        table.bind(RUNNER, "github.com", GITHUB, 600);
        clock.advance(Duration.ofSeconds(800));
        assertThat(table.isBound(RUNNER, GITHUB, "github.com")).isTrue();
    }

    @Test
    void bindingsBelongToTheRunnerThatAsked() {
        table.bind(RUNNER, "github.com", GITHUB, 60);

        assertThat(table.namesFor(OTHER_RUNNER, GITHUB)).isEmpty();
        assertThat(table.isBound(OTHER_RUNNER, GITHUB, "github.com")).isFalse();
    }

    @Test
    void namesAreLowerCaseWithoutTrailingDot() {
        table.bind(RUNNER, "GitHub.COM.", GITHUB, 60);

        assertThat(table.namesFor(RUNNER, GITHUB)).containsExactly("github.com");
        assertThat(table.isBound(RUNNER, GITHUB, "GITHUB.com.")).isTrue();
    }

    @Test
    void oneAddressCanCarrySeveralNames() {
        InetAddress cdn = ip("151.101.1.1");
        table.bind(RUNNER, "registry.npmjs.org", cdn, 60);
        table.bind(RUNNER, "pypi.org", cdn, 60);

        assertThat(table.namesFor(RUNNER, cdn)).containsExactlyInAnyOrder("registry.npmjs.org", "pypi.org");
    }

    @Test
    void ipv6AddressesBindLikeIpv4() {
        InetAddress v6 = ip("2606:50c0:8000::154");
        table.bind(ip("2001:db8:10::5"), "objects.githubusercontent.com", v6, 60);

        assertThat(table.namesFor(ip("2001:db8:10::5"), ip("2606:50c0:8000:0:0:0:0:154")))
                .containsExactly("objects.githubusercontent.com");
        assertThat(table.namesFor(ip("2001:db8:10::5"), ip("185.199.108.154"))).isEmpty();
    }

    @Test
    void aNameHoldsAtMostTheLimitOfAddressesDroppingTheSoonestToExpire() {
        DnsBindingTable small = new DnsBindingTable(clock, new BindingLimits(Duration.ZERO, Duration.ZERO,
                Duration.ofHours(1), 2, 100));
        small.bind(RUNNER, "a.example.com", ip("192.0.2.1"), 100);
        small.bind(RUNNER, "a.example.com", ip("192.0.2.2"), 50);
        small.bind(RUNNER, "a.example.com", ip("192.0.2.3"), 100);

        assertThat(small.isBound(RUNNER, ip("192.0.2.1"), "a.example.com")).isTrue();
        assertThat(small.isBound(RUNNER, ip("192.0.2.2"), "a.example.com")).isFalse();
        assertThat(small.isBound(RUNNER, ip("192.0.2.3"), "a.example.com")).isTrue();
        assertThat(small.size()).isEqualTo(2);
    }

    @Test
    void aRunnerHoldsAtMostTheLimitOfNamesDroppingTheSoonestToExpire() {
        DnsBindingTable small = new DnsBindingTable(clock, new BindingLimits(Duration.ZERO, Duration.ZERO,
                Duration.ofHours(1), 8, 2));
        small.bind(RUNNER, "first.example.com", ip("192.0.2.1"), 100);
        small.bind(RUNNER, "short.example.com", ip("192.0.2.2"), 10);
        small.bind(RUNNER, "third.example.com", ip("192.0.2.3"), 100);

        assertThat(small.isBound(RUNNER, ip("192.0.2.2"), "short.example.com")).isFalse();
        assertThat(small.isBound(RUNNER, ip("192.0.2.1"), "first.example.com")).isTrue();
        assertThat(small.isBound(RUNNER, ip("192.0.2.3"), "third.example.com")).isTrue();
        small.bind(OTHER_RUNNER, "other.example.com", ip("192.0.2.9"), 10);
        assertThat(small.size()).as("the limit is per runner").isEqualTo(3);
    }

    @Test
    void expiredBindingsAreFreedByPurgeOrMadeRoomFor() {
        DnsBindingTable small = new DnsBindingTable(clock, new BindingLimits(Duration.ZERO, Duration.ZERO,
                Duration.ofHours(1), 8, 1));
        small.bind(RUNNER, "old.example.com", ip("192.0.2.1"), 10);
        small.bind(OTHER_RUNNER, "old.example.com", ip("192.0.2.1"), 10);
        clock.advance(Duration.ofSeconds(11));
        small.bind(RUNNER, "new.example.com", ip("192.0.2.2"), 10);
        assertThat(small.size()).isEqualTo(2);

        small.purgeExpired();

        assertThat(small.size()).isEqualTo(1);
        assertThat(small.isBound(RUNNER, ip("192.0.2.2"), "new.example.com")).isTrue();
    }

    @Test
    void limitsRejectNonsense() {
        assertThatThrownBy(() -> new BindingLimits(Duration.ZERO, Duration.ofMinutes(2), Duration.ofMinutes(1), 1, 1))
                .hasMessageContaining("minTtl <= maxTtl");
        assertThatThrownBy(() -> new BindingLimits(Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, 1))
                .hasMessageContaining("at least one address");
    }

    @Test
    void concurrentWritersAndReadersKeepCountsExact() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                InetAddress source = ip("10.10.1." + t);
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        table.bind(source, "n" + i + ".example.com", ip("192.0.2." + (i % 200)), 60);
                        table.namesFor(source, ip("192.0.2." + (i % 200)));
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        }
        assertThat(table.size()).isEqualTo(4 * 500);
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
