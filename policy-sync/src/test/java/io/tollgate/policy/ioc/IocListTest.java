package io.tollgate.policy.ioc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import io.tollgate.policy.PolicyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IocListTest {
    @TempDir
    Path dir;

    @Test
    void blocksTheDomainAndAllItsSubdomains() throws PolicyException {
        IocList ioc = IocList.of(List.of("evil.example"), List.of(), List.of());
        assertThat(ioc.blocksName("evil.example")).isTrue();
        assertThat(ioc.blocksName("a.b.EVIL.example.")).isTrue();
        assertThat(ioc.blocksName("notevil.example")).isFalse();
        assertThat(ioc.blocksName("example")).isFalse();
    }

    @Test
    void blocksIpsAndNetworksOfBothFamilies() throws PolicyException {
        IocList ioc = IocList.of(List.of(), List.of("203.0.113.66", "198.51.100.0/24", "2001:db8:bad::/48"), List.of());
        assertThat(ioc.blocksIp(InetAddresses.forString("203.0.113.66"))).isTrue();
        assertThat(ioc.blocksIp(InetAddresses.forString("203.0.113.67"))).isFalse();
        assertThat(ioc.blocksIp(InetAddresses.forString("198.51.100.200"))).isTrue();
        assertThat(ioc.blocksIp(InetAddresses.forString("2001:db8:bad:1::1"))).isTrue();
        assertThat(ioc.blocksIp(InetAddresses.forString("2001:db8:bae::1"))).isFalse();
        assertThat(ioc.size()).isEqualTo(3);
    }

    @Test
    void readsFeedWithCommentsAndBlankLines() throws IOException, PolicyException {
        Path feed = Files.writeString(dir.resolve("feed.txt"), """
                # threat feed, 2026-11-23

                exfil.example   # seen in the tj-actions incident
                Tunnel.Example.
                203.0.113.0/24
                2001:db8::66
                """);
        IocList ioc = IocList.of(List.of(), List.of(), List.of(feed));
        assertThat(ioc.size()).isEqualTo(4);
        assertThat(ioc.blocksName("x.exfil.example")).isTrue();
        assertThat(ioc.blocksName("tunnel.example")).isTrue();
        assertThat(ioc.blocksIp(InetAddresses.forString("203.0.113.9"))).isTrue();
        assertThat(ioc.blocksIp(InetAddresses.forString("2001:db8::66"))).isTrue();
    }

    @Test
    void badFeedLineNamesFileAndLine() throws IOException {
        Path feed = Files.writeString(dir.resolve("feed.txt"), "ok.example\n# comment\n10.0.0.1/8\n");
        assertThatThrownBy(() -> IocList.of(List.of(), List.of(), List.of(feed)))
                .isInstanceOfSatisfying(PolicyException.class, e -> {
                    assertThat(e.source()).isEqualTo("ioc feed " + feed);
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.entry()).isEqualTo("10.0.0.1/8");
                    assertThat(e.getMessage()).contains("host bits set");
                });
    }

    @Test
    void unreadableFeedIsAnError() {
        Path missing = dir.resolve("missing.txt");
        assertThatThrownBy(() -> IocList.of(List.of(), List.of(), List.of(missing)))
                .isInstanceOf(PolicyException.class).hasMessageContaining("ioc feed " + missing);
    }

    @Test
    void emptyListBlocksNothing() {
        assertThat(IocList.empty().blocksName("anything.example")).isFalse();
        assertThat(IocList.empty().blocksIp(InetAddresses.forString("1.1.1.1"))).isFalse();
        assertThat(IocList.empty().size()).isZero();
    }
}
