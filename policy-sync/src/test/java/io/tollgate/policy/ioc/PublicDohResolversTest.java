package io.tollgate.policy.ioc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PublicDohResolversTest {
    @Test
    void shipsTheWellKnownResolversWithoutComments() {
        List<String> names = PublicDohResolvers.defaults();
        assertThat(names).contains("dns.google", "cloudflare-dns.com", "dns.quad9.net")
                .noneMatch(name -> name.startsWith("#") || name.isBlank());
    }

    @Test
    void theListIsValidAsIocDomains() throws Exception {
        IocList ioc = IocList.of(PublicDohResolvers.defaults(), List.of(), List.of());
        assertThat(ioc.blocksName("dns.google")).isTrue();
        assertThat(ioc.blocksName("mozilla.cloudflare-dns.com")).isTrue();
        assertThat(ioc.blocksName("google.com")).isFalse();
    }
}
